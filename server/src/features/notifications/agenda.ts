import { enqueueJobs } from '../../jobs/job-queue';
import { DONE, PermanentJobError, type JobHandler, type NewJob } from '../../jobs/job-types';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { Logger } from '../../platform/logger';
import type { Sql } from '../../platform/sql';
import { parseLocalDate } from '../../platform/time-zones';
import { isUuid } from '../../platform/validation';
import { readDoctorDay } from '../appointments/appointments.sql';
import { listDoctorTimeZones, readDoctorContact } from '../doctors/doctors.sql';
import { agendaMail } from './mail-messages';
import { messageIdDomain } from '../../outbound/mail-transport';
import { composeMail, type MailDeps } from './notifications.handlers';
import { AgendaMailJob, MailJobKind, mailJobKey } from './notifications.jobs';
import { localDayRange, nextAgendaAt } from './notifications.rules';

/** An agenda more than this late (the deployment was down all day) is not worth sending. */
const STALE_AFTER_MS = 12 * 3_600_000;
/** How often each instance makes sure every doctor's next agenda job exists (new doctors, zone changes). */
const ENSURE_INTERVAL_MS = 10 * 60_000;

/**
 * Writes each doctor's next agenda job, due at DAILY_AGENDA_TIME on the doctor's clock. The
 * dedupe key (doctor and local date) makes it once per doctor per day however many instances do
 * this; the job being a row, an instance down at that time sends it when it (or another) is up.
 */
export async function ensureAgendaJobs(
  deps: { readonly sql: Sql; readonly transactions: Transactions },
  now: Date,
  minuteOfDay: number,
): Promise<void> {
  const doctors = await listDoctorTimeZones(deps.sql);
  if (doctors.length === 0) return;
  const jobs = doctors.map((doctor) => nextAgendaJob(doctor, now, minuteOfDay));
  await deps.transactions.run((tx) => enqueueJobs(tx, jobs));
}

/** The doctor's next agenda job after `now`, keyed by doctor and local date. */
function nextAgendaJob(doctor: { readonly id: string; readonly timeZone: string }, now: Date, minuteOfDay: number): NewJob {
  const next = nextAgendaAt(now, doctor.timeZone, minuteOfDay);
  const payload: AgendaMailJob = { doctorId: doctor.id, date: next.date };
  return { kind: MailJobKind.Agenda, payload, runAt: next.at, dedupeKey: mailJobKey.agenda(doctor.id, next.date) };
}

/** The daily agenda mail; when it has run, the doctor's next one is written. */
export function agendaMailHandler(deps: MailDeps & { readonly minuteOfDay: number }): JobHandler<AgendaMailJob> {
  const domain = messageIdDomain(deps.mailFrom);
  return {
    kind: MailJobKind.Agenda,
    payload: AgendaMailJob,
    async run(job, context) {
      const doctor = isUuid(job.doctorId) ? await readDoctorContact(deps.sql, job.doctorId) : null;
      if (!doctor) throw new PermanentJobError('the doctor does not exist');
      const date = parseLocalDate(job.date);
      if (!date) throw new PermanentJobError('the agenda date is not a date');
      const range = localDayRange(date, doctor.timeZone);
      const next = nextAgendaJob(doctor, context.now, deps.minuteOfDay);
      await deps.transactions.run((tx) => enqueueJobs(tx, [next]));
      if (context.now.getTime() - range.start.getTime() > STALE_AFTER_MS + deps.minuteOfDay * 60_000) {
        return { outcome: 'skipped', reason: 'the day is long begun' };
      }
      const visits = await readDoctorDay(deps.sql, doctor.id, range);
      const content = agendaMail({ doctorName: doctor.name, date: job.date, timeZone: doctor.timeZone, appointments: visits });
      await deps.mailer.send(composeMail(content, doctor.email, `<agenda-${doctor.id}-${job.date}@${domain}>`));
      return DONE;
    },
  };
}

/** Runs ensureAgendaJobs at start and every ENSURE_INTERVAL_MS; the jobs themselves are durable rows. */
export class AgendaScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: { readonly sql: Sql; readonly transactions: Transactions },
    private readonly logger: Logger,
    private readonly minuteOfDay: number,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.ensure(), ENSURE_INTERVAL_MS);
    this.timer.unref();
    void this.ensure();
  }

  /** Writes the missing next agenda jobs now; never throws. */
  ensure(): Promise<void> {
    this.running ??= ensureAgendaJobs(this.deps, this.clock(), this.minuteOfDay)
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not schedule the daily agendas; retrying later'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
