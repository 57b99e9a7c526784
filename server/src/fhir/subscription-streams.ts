import type { Appointment as FhirAppointment } from '@medplum/fhirtypes';
import type { Viewer } from '../accounts/authorization';
import type { AuditEntry } from '../audit/audit-entry';
import { deserializeAppointment, type AppointmentJson } from '../features/appointments/appointments.mapper';
import { appointmentUpdatedStream, myAppointmentUpdatedStream, patientAddedStream } from '../features/appointments/appointments.policy';
import type { LiveStream } from '../graphql/live-subscription';
import type { RequestServices } from '../graphql/request-context';
import { doctorStream, patientStream } from '../live/streams';
import { payloadOf, type StreamMessage, type TopicName, type TopicPayload } from '../live/topics';
import { forbidden } from '../platform/errors';
import { isUuid } from '../platform/validation';
import { toFhirAppointment } from './mapping';
import { invalid } from './outcome';

/** What a Subscription's criteria name: one doctor's appointments, or one patient's. */
export type Criteria = { readonly practitionerId: string } | { readonly patientId: string };

const PRACTITIONER_CRITERIA = /^Appointment\?practitioner=(?:Practitioner\/)?([^&=/]+)$/;
const PATIENT_CRITERIA = /^Appointment\?patient=(?:Patient\/)?([^&=/]+)$/;

/**
 * `Appointment?practitioner=Practitioner/<id>` or `Appointment?patient=Patient/<id>` (the only
 * criteria served: each is one outbox stream); anything else 400 `invalid` naming what is.
 */
export function parseCriteria(criteria: string): Criteria {
  const practitioner = PRACTITIONER_CRITERIA.exec(criteria)?.[1];
  if (practitioner !== undefined && isUuid(practitioner)) return { practitionerId: practitioner };
  const patient = PATIENT_CRITERIA.exec(criteria)?.[1];
  if (patient !== undefined && isUuid(patient)) return { patientId: patient };
  throw invalid(
    `The criteria '${criteria.slice(0, 120)}' is not supported: use Appointment?practitioner=Practitioner/<id> or Appointment?patient=Patient/<id>.`,
  );
}

/** The outbox stream a criteria follows: its events are numbered by that stream's sequence. */
export function streamOf(criteria: Criteria): string {
  return 'practitionerId' in criteria ? doctorStream(criteria.practitionerId) : patientStream(criteria.patientId);
}

/** One topic of the followed stream: the GraphQL subscription's own per-event checks, and the Appointment it carries. */
interface TopicFollow {
  /** Its deliveries carry a patient's data to someone else: each is audited. */
  readonly audited: boolean;
  authorize(message: StreamMessage, now: Date): void;
  recheck(message: StreamMessage): Promise<boolean>;
  audit(message: StreamMessage): AuditEntry | undefined;
  appointment(message: StreamMessage): AppointmentJson | undefined;
}

/** What a viewer follows for one Subscription: the stream, its topics, and what each event passes before it is sent. */
export interface Follow {
  readonly stream: string;
  readonly topics: ReadonlySet<TopicName>;
  /** The GraphQL stream's per-event check (session, still this doctor or patient); throws to end the binding. */
  authorize(message: StreamMessage, now: Date): void;
  /**
   * The per-event re-check, audit row (one per event and receiving user, the same key as the
   * GraphQL streams', so a user following both gets one row), then the Appointment; undefined
   * when this event is not to be delivered.
   */
  deliver(message: StreamMessage): Promise<FhirAppointment | undefined>;
}

function follow<T extends TopicName>(live: LiveStream<T>, appointmentOf: (payload: TopicPayload<T>) => AppointmentJson): TopicFollow {
  const payload = (message: StreamMessage) => payloadOf(message, live.topic);
  return {
    audited: live.audit !== undefined,
    authorize: (message, now) => {
      const value = payload(message);
      if (value !== undefined) live.authorize(value, now);
    },
    recheck: async (message) => {
      const value = payload(message);
      return value === undefined ? false : live.recheck ? live.recheck(value) : true;
    },
    audit: (message) => {
      const value = payload(message);
      return value === undefined || !live.audit ? undefined : live.audit(value);
    },
    appointment: (message) => {
      const value = payload(message);
      return value === undefined ? undefined : appointmentOf(value);
    },
  };
}

/**
 * Whether `viewer` may follow `criteria`, decided by the same policies as the GraphQL live
 * streams (features/appointments/appointments.policy.ts): a doctor their own appointments
 * (`patientAdded` and `appointmentUpdated`), a patient their own (`myAppointmentUpdated`); anyone
 * else FORBIDDEN, before anything is subscribed. Called when the Subscription is created, when a
 * binding token is asked for, at every bind and every `$events`.
 */
export async function openFollow(viewer: Viewer, criteria: Criteria, services: RequestServices): Promise<Follow> {
  const topics = new Map<TopicName, TopicFollow>();
  if ('practitionerId' in criteria) {
    const args = { doctorId: criteria.practitionerId };
    const added = patientAddedStream(viewer, args);
    const updated = appointmentUpdatedStream(viewer, args);
    topics.set(
      added.topic,
      follow(added, (payload) => payload.appointment),
    );
    topics.set(
      updated.topic,
      follow(updated, (payload) => payload.appointment),
    );
  } else {
    const own = myAppointmentUpdatedStream(viewer);
    if (criteria.patientId !== viewer.userId) throw forbidden('You can only follow your own appointments.');
    topics.set(
      own.topic,
      follow(own, (payload) => payload.appointment),
    );
  }
  // The actor's practice for the delivery rows, looked up once, as liveSubscription does.
  const audited = [...topics.values()].some((topic) => topic.audited);
  const practiceId = audited ? await services.audit.actorPracticeOf(viewer) : null;
  const stream = streamOf(criteria);
  const topicOf = (message: StreamMessage) => topics.get(message.topic);
  return {
    stream,
    topics: new Set(topics.keys()),
    authorize: (message, now) => topicOf(message)?.authorize(message, now),
    deliver: async (message) => {
      const topic = topicOf(message);
      const appointment = topic?.appointment(message);
      if (!topic || !appointment || !(await topic.recheck(message))) return undefined;
      const entry = topic.audit(message);
      if (entry) await services.deliveries.record(viewer, `${stream}#${message.seq}`, entry, practiceId);
      return toFhirAppointment(deserializeAppointment(appointment));
    },
  };
}
