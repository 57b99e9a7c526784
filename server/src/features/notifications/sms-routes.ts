import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../platform/clock';
import type { Logger } from '../../platform/logger';
import type { Sql } from '../../platform/sql';
import { isUuid } from '../../platform/validation';
import { isTwilioSignatureValid, TWILIO_UNSUBSCRIBED, twimlReply } from '../../outbound/sms-transport';
import type { AppointmentLifecycleService } from '../appointments/appointments.lifecycle';
import { e164OrUndefined } from './phone-numbers';
import { helpText, REPLY_TEXT } from './sms-messages';
import { replyIntent } from './sms.rules';
import { isOptedOut, optInNumber, optOutNumber, practicesOfNumber, recordSmsStatus, smsRecipientOf, usersOfNumber } from './sms.sql';

/** Where Twilio POSTs each message's status changes (the StatusCallback of every text). */
export const SMS_STATUS_PATH = '/sms/twilio/status';
/** The status callback's query parameter naming our row (sms.handlers.ts adds it to each text's StatusCallback). */
export const SMS_MESSAGE_PARAM = 'm';
/** Where Twilio POSTs the texts patients send back (the number's or messaging service's webhook). */
export const SMS_INBOUND_PATH = '/sms/twilio/inbound';

export interface SmsRouteDeps {
  readonly sql: Sql;
  readonly lifecycle: AppointmentLifecycleService;
  /** TWILIO_AUTH_TOKEN: checks X-Twilio-Signature. */
  readonly authToken: string;
  /** PUBLIC_URL: the address Twilio signed (its scheme and host, not this process's). */
  readonly publicUrl: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Twilio's form fields: one value each (a repeated field is not Twilio's and is refused). */
const TwilioForm = z.record(z.string(), z.string());
const StatusForm = z.object({ MessageSid: z.string().min(1), MessageStatus: z.string().min(1).max(40), ErrorCode: z.string().optional() });
const InboundForm = z.object({ From: z.string().min(1), Body: z.string().max(1600) });

/**
 * The two webhooks of Twilio: status callbacks and inbound texts, both `application/x-www-form-urlencoded`
 * and both refused with 403 unless X-Twilio-Signature is Twilio's signature of PUBLIC_URL + the path
 * (and query) with these parameters, under TWILIO_AUTH_TOKEN.
 */
export function smsRoutes(deps: SmsRouteDeps): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  const signed = (req: Request, res: Response, next: NextFunction): void => {
    const params = TwilioForm.safeParse(req.body ?? {});
    const url = `${deps.publicUrl}${req.originalUrl}`;
    if (!params.success || !isTwilioSignatureValid(deps.authToken, req.header('x-twilio-signature'), url, params.data)) {
      res.status(403).type('text/plain').send('Forbidden: X-Twilio-Signature does not match');
      return;
    }
    next();
  };

  router.post(SMS_STATUS_PATH, form, signed, (req, res, next) => {
    const parsed = StatusForm.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).type('text/plain').send('MessageSid and MessageStatus are required');
      return;
    }
    void (async () => {
      const { MessageSid: sid, MessageStatus: status, ErrorCode } = parsed.data;
      const errorCode = ErrorCode && /^\d+$/.test(ErrorCode) ? Number(ErrorCode) : null;
      const now = deps.clock();
      const named = req.query[SMS_MESSAGE_PARAM];
      const messageId = typeof named === 'string' && isUuid(named) ? named : undefined;
      await recordSmsStatus(deps.sql, { sid, status, errorCode, messageId }, now);
      if (errorCode === TWILIO_UNSUBSCRIBED) {
        const phone = await smsRecipientOf(deps.sql, sid);
        if (phone) await optOutNumber(deps.sql, phone, String(TWILIO_UNSUBSCRIBED), now);
      }
      res.status(204).end();
    })().catch(next);
  });

  router.post(SMS_INBOUND_PATH, form, signed, (req, res, next) => {
    const parsed = InboundForm.safeParse(req.body);
    const phone = parsed.success ? e164OrUndefined(parsed.data.From) : undefined;
    const answer = (text?: string) => res.status(200).type('text/xml').send(twimlReply(text));
    if (!parsed.success || phone === undefined) {
      answer();
      return;
    }
    void (async () => {
      const intent = replyIntent(parsed.data.Body, await isOptedOut(deps.sql, phone));
      deps.logger.info({ intent }, 'SMS reply');
      switch (intent) {
        case 'stop':
          await optOutNumber(deps.sql, phone, 'STOP', deps.clock());
          return answer(REPLY_TEXT.stopped);
        case 'start':
          await optInNumber(deps.sql, phone);
          return answer(REPLY_TEXT.started);
        case 'help':
          return answer(helpText(await practicesOfNumber(deps.sql, phone)));
        case 'confirm':
          return answer(await confirmNext(deps, phone));
        case 'unknown':
          return answer();
      }
    })().catch(next);
  });

  return router;
}

/** The next appointment of the number's owner, confirmed; what to answer. */
async function confirmNext(deps: SmsRouteDeps, phone: string): Promise<string> {
  for (const userId of await usersOfNumber(deps.sql, phone)) {
    try {
      const confirmed = await deps.lifecycle.confirmNextAppointmentOf(userId);
      if (confirmed) return REPLY_TEXT.confirmed;
    } catch (error) {
      // Cancelled or started between the read and the lock: nothing to confirm for this user.
      deps.logger.info({ err: error }, 'SMS confirmation found nothing to confirm');
    }
  }
  return REPLY_TEXT.nothingToConfirm;
}
