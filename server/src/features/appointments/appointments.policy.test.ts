import type { Viewer } from '../../accounts/authorization';
import { internalRequest } from '../../accounts/request-meta';
import { Role } from '../../generated/prisma/enums';
import { codeOf } from '../../../test/helpers/errors';
import type { Membership } from '../practices/practices.members';
import { assertCanChangeAppointment, type AppointmentAction } from './appointments.policy';

const appointment = { doctorId: 'doctor-1', patientId: 'patient-1', practiceId: 'practice-1' };
const viewer = (userId: string, role: Role): Viewer => ({
  userId,
  role,
  sessionId: 'session',
  sessionExpiresAt: Number.MAX_SAFE_INTEGER,
  request: internalRequest(),
});
const desk: Membership = { practiceId: 'practice-1', role: 'STAFF', admin: false };
const otherDesk: Membership = { practiceId: 'practice-2', role: 'STAFF', admin: true };

function outcome(action: AppointmentAction, who: Viewer | undefined, membership: Membership | null = null): string {
  try {
    assertCanChangeAppointment(who, appointment, action, membership);
    return 'OK';
  } catch (error) {
    return codeOf(error);
  }
}

describe('who may change an appointment', () => {
  it.each<[AppointmentAction, string, string, string, string, string]>([
    // action, patient, doctor, staff of the practice, staff of another practice, another doctor
    ['cancel', 'OK', 'OK', 'OK', 'FORBIDDEN', 'FORBIDDEN'],
    ['reschedule', 'OK', 'OK', 'OK', 'FORBIDDEN', 'FORBIDDEN'],
    ['checkIn', 'FORBIDDEN', 'OK', 'OK', 'FORBIDDEN', 'FORBIDDEN'],
    ['noShow', 'FORBIDDEN', 'OK', 'OK', 'FORBIDDEN', 'FORBIDDEN'],
    ['complete', 'FORBIDDEN', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
  ])('%s: patient %s, doctor %s, staff %s, other staff %s, other doctor %s', (action, patient, doctor, staff, other, otherDoctor) => {
    expect(outcome(action, viewer('patient-1', Role.PATIENT))).toBe(patient);
    expect(outcome(action, viewer('doctor-1', Role.DOCTOR), { practiceId: 'practice-1', role: 'DOCTOR', admin: true })).toBe(doctor);
    expect(outcome(action, viewer('staff-1', Role.STAFF), desk)).toBe(staff);
    expect(outcome(action, viewer('staff-2', Role.STAFF), otherDesk)).toBe(other);
    expect(outcome(action, viewer('doctor-2', Role.DOCTOR), { practiceId: 'practice-1', role: 'DOCTOR', admin: true })).toBe(otherDoctor);
    expect(outcome(action, undefined)).toBe('UNAUTHENTICATED');
  });

  it('never takes a membership for more than it says: a patient id with a staff membership is still a patient', () => {
    expect(outcome('checkIn', viewer('patient-1', Role.PATIENT), desk)).toBe('FORBIDDEN');
  });
});
