import type { PrismaClient } from '../../generated/prisma/client';
import { enqueueJobs } from '../../jobs/job-queue';
import { DONE, PermanentJobError, type JobHandler, type NewJob } from '../../jobs/job-types';
import type { Logger } from '../../platform/logger';
import { parseLocalDate } from '../../platform/time-zones';
import { agendaMail } from './mail-messages';
import { messageIdDomain } from './mail-transport';
import { composeMail, type MailDeps } from './notifications.handlers';
import { AgendaMailJob, MailJobKind, mailJobKey } from './notifications.jobs';
import { localDayRange, nextAgendaAt } from './notifications.rules';
import { prismaSql } from '../../platform/sql';

/** An agenda more than this late (the deployment was down all day) is not worth sending. */
const STALE_AFTER_MS = 12 * 3_600_000;
/** How often each instance makes sure every doctor's next agenda job exists (new doctors, zone changes). */
const ENSURE_INTERVAL_MS = 10 * 60_000;

/**
 * Writes each doctor's next agenda job, due at DAILY_AGENDA_TIME on the doctor's clock. The
 * dedupe key (doctor and local date) makes it once per doctor per day however many instances do
 * this; the job being a row, an instance down at that time sends it when it (or another) is up.
 */
export async function ensureAgendaJobs(prisma: PrismaClient, now: Date, minuteOfDay: number): Promise<void> {
  const doctors = await prisma.doctor.findMany({ select: { id: true, timeZone: true } });
  const jobs: NewJob[] = doctors.map((doctor) => {
    const next = nextAgendaAt(now, doctor.timeZone, minuteOfDay);
    const payload: AgendaMailJob = { doctorId: doctor.id, date: next.date };
    return { kind: MailJobKind.Agenda, payload, runAt: next.at, dedupeKey: mailJobKey.agenda(doctor.id, next.date) };
  });
  await enqueueJobs(prismaSql(prisma), jobs);
}

/** The daily agenda mail; when it has run, the doctor's next one is written. */
export function agendaMailHandler(deps: MailDeps & { readonly minuteOfDay: number }): JobHandler<AgendaMailJob> {
  const domain = messageIdDomain(deps.mailFrom);
  return {
    kind: MailJobKind.Agenda,
    payload: AgendaMailJob,
    async run(job, context) {
      const doctor = await deps.prisma.doctor.findUnique({
        where: { id: job.doctorId },
        select: { id: true, timeZone: true, user: { select: { name: true, email: true } } },
      });
      if (!doctor) throw new PermanentJobError('the doctor does not exist');
      const date = parseLocalDate(job.date);
      if (!date) throw new PermanentJobError('the agenda date is not a date');
      const range = localDayRange(date, doctor.timeZone);
      const next = nextAgendaAt(context.now, doctor.timeZone, deps.minuteOfDay);
      await enqueueJobs(prismaSql(deps.prisma), [
        { kind: MailJobKind.Agenda, payload: { doctorId: doctor.id, date: next.date }, runAt: next.at, dedupeKey: mailJobKey.agenda(doctor.id, next.date) },
      ]);
      if (context.now.getTime() - range.start.getTime() > STALE_AFTER_MS + deps.minuteOfDay * 60_000) {
        return { outcome: 'skipped', reason: 'the day is long begun' };
      }
      const visits = await deps.prisma.appointment.findMany({
        where: { doctorId: doctor.id, status: { not: 'CANCELLED' }, startsAt: { gte: range.start, lt: range.end } },
        orderBy: { startsAt: 'asc' },
        select: { startsAt: true, endsAt: true, patient: { select: { user: { select: { name: true } } } } },
      });
      const content = agendaMail({
        doctorName: doctor.user.name,
        date: job.date,
        timeZone: doctor.timeZone,
        appointments: visits.map((visit) => ({ startsAt: visit.startsAt, endsAt: visit.endsAt, patientName: visit.patient.user.name })),
      });
      await deps.mailer.send(composeMail(content, doctor.user.email, `<agenda-${doctor.id}-${job.date}@${domain}>`));
      return DONE;
    },
  };
}

/** Runs ensureAgendaJobs at start and every ENSURE_INTERVAL_MS; the jobs themselves are durable rows. */
export class AgendaScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly minuteOfDay: number,
    private readonly clock: () => Date,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.ensure(), ENSURE_INTERVAL_MS);
    this.timer.unref();
    void this.ensure();
  }

  /** Writes the missing next agenda jobs now; never throws. */
  ensure(): Promise<void> {
    this.running ??= ensureAgendaJobs(this.prisma, this.clock(), this.minuteOfDay)
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not schedule the daily agendas; retrying later'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
