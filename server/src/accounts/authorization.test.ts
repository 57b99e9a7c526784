import { Role } from '../generated/prisma/enums';
import { assertCanReceiveDoctorEvent, type Viewer } from './authorization';
import { internalViewer } from './viewer';

const doctor: Viewer = { ...internalViewer('doctor-1', Role.DOCTOR), sessionExpiresAt: 2_000 };
const codeOf = (run: () => void) => {
  try {
    run();
    return 'allowed';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('assertCanReceiveDoctorEvent', () => {
  it("lets a doctor with a live session receive their own doctor's events", () => {
    expect(codeOf(() => assertCanReceiveDoctorEvent(doctor, 'doctor-1', new Date(1_999_000)))).toBe('allowed');
  });

  it("refuses another doctor's event with FORBIDDEN", () => {
    expect(codeOf(() => assertCanReceiveDoctorEvent(doctor, 'doctor-2', new Date(1_000_000)))).toBe('FORBIDDEN');
  });

  it('refuses any event once the session has expired with UNAUTHENTICATED', () => {
    expect(codeOf(() => assertCanReceiveDoctorEvent(doctor, 'doctor-1', new Date(2_000_000)))).toBe('UNAUTHENTICATED');
  });
});
