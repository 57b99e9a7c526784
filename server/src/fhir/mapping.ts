import type { Appointment as FhirAppointment, Observation, Patient as FhirPatient, Practitioner, Schedule, Slot } from '@medplum/fhirtypes';
import { AppointmentStatus } from '../generated/prisma/enums';
import type { Appointment } from '../features/appointments/appointments.type';
import type { Doctor } from '../features/doctors/doctors.type';
import type { Hold } from '../features/appointments/holds.type';
import type { Patient } from '../features/patients/patients.type';
import type { Vitals } from '../features/vitals/vitals.type';
import type { MeasuredField } from '../features/vitals/vitals.service';

/** CareLine's appointment statuses as FHIR's (API.md, Round 3). */
export const APPOINTMENT_STATUS: Readonly<Record<AppointmentStatus, NonNullable<FhirAppointment['status']>>> = {
  [AppointmentStatus.BOOKED]: 'booked',
  [AppointmentStatus.CHECKED_IN]: 'checked-in',
  [AppointmentStatus.COMPLETED]: 'fulfilled',
  [AppointmentStatus.CANCELLED]: 'cancelled',
  [AppointmentStatus.NO_SHOW]: 'noshow',
  // A hold ($hold, GraphQL holdSlot) while it lasts: proposed, awaiting its booking.
  [AppointmentStatus.HELD]: 'pending',
};

export function toFhirPatient(patient: Patient): FhirPatient {
  return {
    resourceType: 'Patient',
    id: patient.id,
    name: [{ text: patient.name }],
    ...(patient.dateOfBirth ? { birthDate: patient.dateOfBirth.toISOString().slice(0, 10) } : {}),
  };
}

export function toPractitioner(doctor: Doctor): Practitioner {
  return { resourceType: 'Practitioner', id: doctor.id, active: true, name: [{ text: doctor.name }] };
}

/** One Schedule per doctor, with the doctor's id: the Slots of their free times point at it. */
export function toSchedule(doctor: Doctor): Schedule {
  return {
    resourceType: 'Schedule',
    id: doctor.id,
    active: true,
    actor: [{ reference: `Practitioner/${doctor.id}`, display: doctor.name }],
    comment: `Free times of ${doctor.name} (${doctor.timeZone}).`,
  };
}

/** A free slot's id: the doctor and the start (seconds since the epoch), so a read can recompute it. */
export function slotId(doctorId: string, start: Date): string {
  return `${doctorId}-${Math.floor(start.getTime() / 1000)}`;
}

export function parseSlotId(id: string): { doctorId: string; start: Date } | null {
  const match = /^([0-9a-f-]{36})-(\d{1,12})$/.exec(id);
  return match?.[1] && match[2] ? { doctorId: match[1], start: new Date(Number(match[2]) * 1000) } : null;
}

export function toSlot(doctorId: string, start: Date, durationMinutes: number): Slot {
  return {
    resourceType: 'Slot',
    id: slotId(doctorId, start),
    schedule: { reference: `Schedule/${doctorId}` },
    status: 'free',
    start: start.toISOString(),
    end: new Date(start.getTime() + durationMinutes * 60_000).toISOString(),
  };
}

/** A booked time of the doctor: when, never whose. */
export function toBusySlot(doctorId: string, start: Date, end: Date): Slot {
  return { ...toSlot(doctorId, start, 0), status: 'busy', end: end.toISOString() };
}

/** The extension of a `pending` Appointment (a hold) that says when it expires (valueInstant). */
export const HOLD_EXPIRES_AT_EXTENSION = 'urn:careline:fhir:hold-expires-at';

export function toFhirAppointment(appointment: Appointment): FhirAppointment {
  const held = appointment.status === AppointmentStatus.HELD;
  const expiresAt = held ? appointment.holdExpiresAt : null;
  return {
    resourceType: 'Appointment',
    id: appointment.id,
    ...(expiresAt
      ? {
          extension: [{ url: HOLD_EXPIRES_AT_EXTENSION, valueInstant: expiresAt.toISOString() }],
          comment: `Held until ${expiresAt.toISOString()}: book it with Appointment/$book (this id) before then.`,
        }
      : {}),
    status: APPOINTMENT_STATUS[appointment.status],
    start: appointment.startsAt.toISOString(),
    end: appointment.endsAt.toISOString(),
    minutesDuration: Math.round((appointment.endsAt.getTime() - appointment.startsAt.getTime()) / 60_000),
    ...(appointment.reason ? { description: appointment.reason } : {}),
    ...(appointment.status === AppointmentStatus.CANCELLED && appointment.cancellationReason
      ? { cancelationReason: { text: appointment.cancellationReason } }
      : {}),
    participant: [
      { actor: { reference: `Patient/${appointment.patientId}` }, status: held ? 'tentative' : 'accepted' },
      { actor: { reference: `Practitioner/${appointment.doctorId}` }, status: held ? 'tentative' : 'accepted' },
    ],
  };
}

/** A hold (holdSlot's answer) as the Appointment `pending` that $hold returns. */
export function holdAsAppointment(hold: Hold): Appointment {
  return {
    id: hold.id,
    doctorId: hold.doctorId,
    patientId: hold.patientId,
    startsAt: hold.startsAt,
    endsAt: hold.endsAt,
    status: AppointmentStatus.HELD,
    reason: null,
    cancellationReason: null,
    checkedInAt: null,
    confirmedAt: null,
    holdExpiresAt: hold.expiresAt,
  };
}

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

/** One measurement of a vitals set as an Observation: its LOINC code and UCUM unit. */
interface VitalSign {
  readonly field: MeasuredField;
  /** The Observation id's suffix (after the vitals id). */
  readonly suffix: string;
  readonly loinc: string;
  readonly display: string;
  readonly unit?: { readonly code: string; readonly unit: string };
}

/** The vitals CareLine records, in the order a set is expanded (API.md: LOINC codes, UCUM units). */
export const VITAL_SIGNS: readonly VitalSign[] = [
  { field: 'heartRate', suffix: 'heart-rate', loinc: '8867-4', display: 'Heart rate', unit: { code: '/min', unit: 'beats/minute' } },
  { field: 'systolic', suffix: 'blood-pressure', loinc: '85354-9', display: 'Blood pressure panel with all children optional' },
  { field: 'temperatureC', suffix: 'body-temperature', loinc: '8310-5', display: 'Body temperature', unit: { code: 'Cel', unit: 'Cel' } },
  {
    field: 'respiratoryRate',
    suffix: 'respiratory-rate',
    loinc: '9279-1',
    display: 'Respiratory rate',
    unit: { code: '/min', unit: 'breaths/minute' },
  },
  {
    field: 'spo2Percent',
    suffix: 'oxygen-saturation',
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    unit: { code: '%', unit: '%' },
  },
  { field: 'weightKg', suffix: 'body-weight', loinc: '29463-7', display: 'Body weight', unit: { code: 'kg', unit: 'kg' } },
];

export function vitalSignOfCode(code: string): VitalSign | undefined {
  const bare = code.startsWith(`${LOINC}|`) ? code.slice(LOINC.length + 1) : code;
  return VITAL_SIGNS.find((sign) => sign.loinc === bare);
}

/** An Observation id: the vitals set's id and the measurement (`<uuid>-heart-rate`). */
export function parseObservationId(id: string): { vitalsId: string; sign: VitalSign } | null {
  const sign = VITAL_SIGNS.find((candidate) => id.endsWith(`-${candidate.suffix}`) && id.length === 37 + candidate.suffix.length);
  return sign ? { vitalsId: id.slice(0, 36), sign } : null;
}

function quantity(value: number, unit: { readonly code: string; readonly unit: string }) {
  return { value, unit: unit.unit, system: UCUM, code: unit.code };
}

/** A vitals set as one Observation per measurement taken (blood pressure one panel with two components). */
export function toObservations(vitals: Vitals, patientId: string, only?: MeasuredField): Observation[] {
  const observations: Observation[] = [];
  for (const sign of VITAL_SIGNS) {
    if (only && sign.field !== only) continue;
    const value = vitals[sign.field];
    if (value === null) continue;
    const base: Observation = {
      resourceType: 'Observation',
      id: `${vitals.id}-${sign.suffix}`,
      status: 'final',
      category: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }],
        },
      ],
      code: { coding: [{ system: LOINC, code: sign.loinc, display: sign.display }], text: sign.display },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: vitals.recordedAt.toISOString(),
    };
    if (sign.unit) {
      observations.push({ ...base, valueQuantity: quantity(value, sign.unit) });
    } else {
      const mmHg = { code: 'mm[Hg]', unit: 'mmHg' };
      observations.push({
        ...base,
        component: [
          {
            code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] },
            valueQuantity: quantity(value, mmHg),
          },
          ...(vitals.diastolic === null
            ? []
            : [
                {
                  code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] },
                  valueQuantity: quantity(vitals.diastolic, mmHg),
                },
              ]),
        ],
      });
    }
  }
  return observations;
}
