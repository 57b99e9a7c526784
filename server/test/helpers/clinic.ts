// GraphQL documents and small arrangements for the clinic operations (issue 9), shared by the
// e2e event tests and the authorization matrix.
import type { TestServer } from './test-server';

export const APPOINTMENT_FIELDS = 'id startsAt endsAt status reason cancellationReason doctor { id } patient { id }';

export const CANCEL = `mutation ($id: ID!, $reason: String) { cancelAppointment(id: $id, reason: $reason) { ${APPOINTMENT_FIELDS} } }`;
export const RESCHEDULE = `mutation ($id: ID!, $startsAt: DateTimeISO!, $durationMinutes: Int) {
  rescheduleAppointment(id: $id, startsAt: $startsAt, durationMinutes: $durationMinutes) { ${APPOINTMENT_FIELDS} } }`;
export const COMPLETE = `mutation ($id: ID!) { completeAppointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;

export const VITALS_FIELDS = 'id recordedAt heartRate systolic diastolic temperatureC spo2Percent respiratoryRate weightKg';
export const RECORD_VITALS = `mutation ($patientId: ID!, $input: RecordVitalsInput!) { recordVitals(patientId: $patientId, input: $input) { ${VITALS_FIELDS} } }`;
export const PATIENT_VITALS = `query ($patientId: ID!, $first: Int, $before: DateTimeISO) { patientVitals(patientId: $patientId, first: $first, before: $before) { ${VITALS_FIELDS} } }`;

export const RECORD_FIELDS = 'id patientId diagnosis notes icd10Code createdAt supersedesId supersededById doctor { id }';
export const ADD_RECORD = `mutation ($patientId: ID!, $input: AddMedicalRecordInput!) { addMedicalRecord(patientId: $patientId, input: $input) { ${RECORD_FIELDS} } }`;
export const PATIENT_RECORDS = `query ($patientId: ID!, $includeSuperseded: Boolean) {
  patientMedicalRecords(patientId: $patientId, includeSuperseded: $includeSuperseded) { ${RECORD_FIELDS} } }`;

export const SET_HOURS = `mutation ($doctorId: ID!, $hours: [WorkingHoursInput!]!) {
  setWorkingHours(doctorId: $doctorId, hours: $hours) { timeZone weeklyHours { weekday startTime endTime } daysOff } }`;
export const ADD_DAY_OFF = 'mutation ($doctorId: ID!, $date: String!) { addDayOff(doctorId: $doctorId, date: $date) { daysOff } }';
export const REMOVE_DAY_OFF = 'mutation ($doctorId: ID!, $date: String!) { removeDayOff(doctorId: $doctorId, date: $date) { daysOff } }';
export const AVAILABILITY =
  'query ($doctorId: ID!) { doctorAvailability(doctorId: $doctorId) { timeZone weeklyHours { weekday startTime endTime } daysOff } }';
export const SLOTS = `query ($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $durationMinutes: Int) {
  availableSlots(doctorId: $doctorId, from: $from, to: $to, durationMinutes: $durationMinutes) }`;

export const APPOINTMENT_UPDATED = `subscription ($doctorId: ID!, $after: String) {
  appointmentUpdated(doctorId: $doctorId, after: $after) { cursor change appointment { ${APPOINTMENT_FIELDS} } } }`;
export const MY_APPOINTMENT_UPDATED = `subscription ($after: String) {
  myAppointmentUpdated(after: $after) { cursor change appointment { ${APPOINTMENT_FIELDS} } } }`;
export const VITALS_RECORDED = `subscription ($doctorId: ID!, $after: String) {
  vitalsRecorded(doctorId: $doctorId, after: $after) { cursor patient { id name latestVitals { id } } vitals { ${VITALS_FIELDS} } } }`;
export const MY_VITALS_RECORDED = `subscription ($after: String) {
  myVitalsRecorded(after: $after) { cursor patient { id } vitals { ${VITALS_FIELDS} } } }`;

export interface AppointmentData {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  reason: string | null;
  cancellationReason: string | null;
  doctor: { id: string };
  patient: { id: string };
}

export interface AppointmentUpdatedData {
  cursor: string;
  change: 'CANCELLED' | 'RESCHEDULED' | 'COMPLETED';
  appointment: AppointmentData;
}

let startedCount = 0;
const anchor = Date.now();
/**
 * Moves a booked appointment into the past so that it has started. Bookings can only be made for
 * the future, and completing needs a visit that has started: this is the test's clock. Each call
 * goes half an hour further back, so two started visits of one doctor never overlap.
 */
export async function makeItStarted(server: Pick<TestServer, 'database'>, appointmentId: string): Promise<void> {
  startedCount += 1;
  const startsAt = new Date(anchor - 10 * 60_000 - startedCount * 30 * 60_000);
  await server.database.prisma.appointment.update({
    where: { id: appointmentId },
    data: { startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000) },
  });
}
