import { AppointmentStatus } from '../generated/prisma/enums';
import { APPOINTMENT_STATUS, parseObservationId, parseSlotId, slotId, toObservations, vitalSignOfCode } from './mapping';

const vitalsId = '0b6f5cbe-7a55-4e9a-9a43-3f1f0f7f4c11';

it('maps every appointment status as API.md says', () => {
  expect(APPOINTMENT_STATUS).toEqual({
    [AppointmentStatus.BOOKED]: 'booked',
    [AppointmentStatus.CHECKED_IN]: 'checked-in',
    [AppointmentStatus.COMPLETED]: 'fulfilled',
    [AppointmentStatus.CANCELLED]: 'cancelled',
    [AppointmentStatus.NO_SHOW]: 'noshow',
    [AppointmentStatus.HELD]: 'pending',
  });
});

it('expands a vitals set into one Observation per value taken, blood pressure as one panel', () => {
  const vitals = {
    id: vitalsId,
    recordedAt: new Date('2027-01-01T09:00:00Z'),
    heartRate: 61,
    systolic: 118,
    diastolic: 79,
    temperatureC: null,
    spo2Percent: 98,
    respiratoryRate: null,
    weightKg: null,
  };
  const observations = toObservations(vitals, 'patient-id');
  expect(observations.map((observation) => observation.code.coding?.[0]?.code)).toEqual(['8867-4', '85354-9', '59408-5']);
  expect(observations[1]?.component?.map((component) => component.valueQuantity?.value)).toEqual([118, 79]);
  expect(toObservations(vitals, 'patient-id', 'systolic')).toHaveLength(1);
});

it('round-trips Observation and Slot ids, and refuses what is not one', () => {
  expect(parseObservationId(`${vitalsId}-heart-rate`)).toMatchObject({ vitalsId, sign: { loinc: '8867-4' } });
  expect(parseObservationId(`${vitalsId}-pulse`)).toBeNull();
  const start = new Date('2027-01-04T08:30:00Z');
  expect(parseSlotId(slotId(vitalsId, start))).toEqual({ doctorId: vitalsId, start });
  expect(parseSlotId('Slot-1')).toBeNull();
  expect(vitalSignOfCode('http://loinc.org|8310-5')?.field).toBe('temperatureC');
  expect(vitalSignOfCode('1234-5')).toBeUndefined();
});
