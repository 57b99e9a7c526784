import type { Viewer } from '../../accounts/authorization';
import { internalRequest } from '../../accounts/request-meta';
import { accountExists } from '../../accounts/users.sql';
import { internalViewer } from '../../accounts/viewer';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import { ErrorCode } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { RequestServices } from '../../graphql/request-context';
import { addDays, isoWeekday, localDateOf, wallTimeToUtc } from '../../platform/time-zones';
import { Role } from '../../generated/prisma/enums';
import { insertVitals } from '../vitals/vitals.sql';
import { GraphQLError } from 'graphql';

/** Public demo accounts: shown on the sign-in page and in the startup log. Never seeded in production by default. */
export const DEMO_PASSWORD = 'careline-demo';

export interface DemoLogins {
  readonly password: string;
  readonly doctors: readonly string[];
  readonly patients: readonly string[];
  /** The practice's admin, then its front desk. */
  readonly staff: readonly string[];
}

/** The demo practice: both demo doctors belong to it, with an admin and a front-desk account. */
const PRACTICE = { name: 'CareLine Demo Clinic', timeZone: 'Europe/London' } as const;
const STAFF = [
  { email: 'admin@careline.demo', name: 'Priya Shah (practice admin)', admin: true },
  { email: 'desk@careline.demo', name: 'Sam Rivera (front desk)', admin: false },
] as const;

const DOCTORS = [
  { email: 'dr.chen@careline.demo', name: 'Dr. Maya Chen', specialty: 'Cardiology', timeZone: 'Europe/London' },
  { email: 'dr.okafor@careline.demo', name: 'Dr. Daniel Okafor', specialty: 'General Practice', timeZone: 'America/New_York' },
] as const;

const PATIENTS = [
  { email: 'alice@careline.demo', name: 'Alice Martin', dateOfBirth: '1984-03-12' },
  { email: 'bob@careline.demo', name: 'Bob Nguyen', dateOfBirth: '1979-11-02' },
  { email: 'carmen@careline.demo', name: 'Carmen Ruiz', dateOfBirth: '1992-07-25' },
] as const;

/** Every demo login with its role, for the sign-in page (demoAccounts). */
export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; name: string; role: Role; password: string }> = [
  ...STAFF.map(({ email, name }) => ({ email, name, role: Role.STAFF, password: DEMO_PASSWORD })),
  ...DOCTORS.map(({ email, name }) => ({ email, name, role: Role.DOCTOR, password: DEMO_PASSWORD })),
  ...PATIENTS.map(({ email, name }) => ({ email, name, role: Role.PATIENT, password: DEMO_PASSWORD })),
];

const LOGINS: DemoLogins = {
  password: DEMO_PASSWORD,
  doctors: DOCTORS.map((doctor) => doctor.email),
  patients: PATIENTS.map((patient) => patient.email),
  staff: STAFF.map((member) => member.email),
};

/**
 * Adds a practice with its admin and front desk, two doctors in it, three patients, a few
 * bookings and vitals, once: a database that already has the first demo doctor is left alone.
 * Goes through the real services (doctors and the desk join by invitation), so the demo data
 * obeys the same rules and produces the same events as real use.
 */
export async function seedDemoData(services: RequestServices, prisma: PrismaReader, logger: Logger, clock: Clock): Promise<DemoLogins> {
  if (await accountExists(prisma, DOCTORS[0].email)) return LOGINS;
  try {
    const admin = STAFF[0];
    const { practice, adminId } = await services.practices.createPracticeWithAdmin({
      ...PRACTICE,
      adminEmail: admin.email,
      adminName: admin.name,
      adminPassword: DEMO_PASSWORD,
    });
    const invite = async (email: string, role: 'DOCTOR' | 'STAFF') =>
      (
        await services.invitations.issue(
          { userId: adminId, role: Role.STAFF, request: internalRequest() },
          { practiceId: practice.id, role, email },
        )
      ).code ?? '';
    for (const member of STAFF.slice(1)) {
      const invitationCode = await invite(member.email, Role.STAFF);
      await services.users.register({ ...member, password: DEMO_PASSWORD, role: Role.STAFF, invitationCode }, internalRequest());
    }
    const doctors: string[] = [];
    for (const doctor of DOCTORS) {
      const invitationCode = await invite(doctor.email, Role.DOCTOR);
      doctors.push(
        (await services.users.register({ ...doctor, password: DEMO_PASSWORD, role: Role.DOCTOR, invitationCode }, internalRequest())).user
          .id,
      );
    }
    const patients: string[] = [];
    for (const patient of PATIENTS) {
      const registered = await services.users.register(
        {
          ...patient,
          dateOfBirth: new Date(`${patient.dateOfBirth}T00:00:00Z`),
          password: DEMO_PASSWORD,
          role: Role.PATIENT,
        },
        internalRequest(),
      );
      patients.push(registered.user.id);
    }
    // Dr. Chen works Monday to Friday, 09:00-17:00 London time; Dr. Okafor 07:00-15:00 New York time
    // (his demo visit, 12:00 London, is 07:00 or 08:00 there). A doctor without hours would not be
    // offered for booking: the demo practice keeps Practice.bookableWithoutHours off.
    const weekdays = (startTime: string, endTime: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime, endTime }));
    await services.availability.setWorkingHours(internalViewer(doctors[0]!, Role.DOCTOR), doctors[0]!, weekdays('09:00', '17:00'));
    await services.availability.setWorkingHours(internalViewer(doctors[1]!, Role.DOCTOR), doctors[1]!, weekdays('07:00', '15:00'));
    // The next weekday from 09:00 London time, on the half hour, so the demo dashboard has a
    // schedule to show and every booking falls inside Dr. Chen's hours.
    let day = addDays(localDateOf(clock(), DOCTORS[0].timeZone), 1);
    while (isoWeekday(day) > 5) day = addDays(day, 1);
    const firstSlot = wallTimeToUtc(day, 9 * 60, DOCTORS[0].timeZone);
    const at = (slot: number) => new Date(firstSlot.getTime() + slot * 30 * 60_000);
    const bookings = [
      { patient: 0, doctor: 0, slot: 0, reason: 'Chest pain follow-up' },
      { patient: 1, doctor: 0, slot: 1, reason: 'Palpitations' },
      { patient: 2, doctor: 0, slot: 3, reason: 'Blood pressure review' },
      { patient: 0, doctor: 1, slot: 6, reason: 'Annual check-up' },
    ];
    for (const booking of bookings) {
      const patientId = patients[booking.patient]!;
      const viewer: Viewer = internalViewer(patientId, Role.PATIENT);
      await services.appointments.bookAppointment(viewer, {
        doctorId: doctors[booking.doctor]!,
        startsAt: at(booking.slot),
        reason: booking.reason,
      });
    }
    // Written as history from before the demo starts, without the live events of recordVitals.
    const recordedAt = clock();
    await services.transactions.run((tx) =>
      insertVitals(tx, [
        {
          patientId: patients[0]!,
          recordedById: doctors[0]!,
          recordedAt,
          heartRate: 72,
          systolic: 128,
          diastolic: 82,
          temperatureC: 36.8,
          spo2Percent: 98,
        },
        {
          patientId: patients[1]!,
          recordedById: doctors[0]!,
          recordedAt,
          heartRate: 96,
          systolic: 135,
          diastolic: 88,
          temperatureC: 37.1,
          spo2Percent: 97,
        },
      ]),
    );
    logger.info('seeded demo data');
  } catch (error) {
    // Another instance seeding the same database at the same moment got there first.
    if (error instanceof GraphQLError && error.extensions['code'] === ErrorCode.Conflict) return LOGINS;
    throw error;
  }
  return LOGINS;
}
