// The lifecycle against real PostgreSQL: the exclusion constraints are the overlap guard for a
// reschedule as for a booking, also when the two race; a cancelled time is free again at once.
import type { GraphQLError } from 'graphql';
import { codeOf, outcomeOf } from '../../../test/helpers/errors';
import { allowBookingWithoutHours, futureSlot, registerDoctor, registerPatient, type TestAccount } from '../../../test/helpers/accounts';
import { addDays, daysFromNow, isoDate, nextEuropeanClockChange, nextWeekday, utcAt, type UtcDay } from '../../../test/helpers/calendar';
import { startTestServer, type TestServer } from '../../../test/helpers/test-server';
import type { Viewer } from '../../accounts/authorization';
import { internalViewer } from '../../accounts/viewer';
import { Role } from '../../generated/prisma/enums';

const asPatient = (account: TestAccount): Viewer => internalViewer(account.id, Role.PATIENT);
const asDoctor = (account: TestAccount): Viewer => internalViewer(account.id, Role.DOCTOR);
const MINUTE = 60_000;

describe('appointment lifecycle on PostgreSQL', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('services');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const book = (patient: TestAccount, doctor: TestAccount, startsAt: Date, durationMinutes = 30) =>
    server.services.appointments.bookAppointment(asPatient(patient), { doctorId: doctor.id, startsAt, durationMinutes });

  it('offers a cancelled slot again and lets another patient book it at once', async () => {
    const doctor = await registerDoctor(server);
    await allowBookingWithoutHours(server, doctor);
    const [first, second] = [await registerPatient(server), await registerPatient(server)];
    const slot = futureSlot();
    const booked = await book(first, doctor, slot);
    expect(await outcomeOf(book(second, doctor, slot))).toBe('SLOT_UNAVAILABLE');

    const slotsAround = () =>
      server.services.availability.availableSlots(asPatient(second), doctor.id, {
        from: slot,
        to: new Date(slot.getTime() + 30 * MINUTE),
        durationMinutes: 30,
      });
    expect(await slotsAround()).toEqual([]);

    const cancelled = await server.services.appointmentLifecycle.cancelAppointment(asPatient(first), booked.id, 'Feeling better');
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'Feeling better' });
    expect(await slotsAround()).toEqual([slot]);
    expect(await book(second, doctor, slot)).toMatchObject({ status: 'BOOKED', patientId: second.id });
  });

  it('reschedules into a free slot, keeping the length unless told, and refuses a booked one with SLOT_UNAVAILABLE', async () => {
    const doctor = await registerDoctor(server);
    const [first, second] = [await registerPatient(server), await registerPatient(server)];
    const taken = futureSlot();
    await book(second, doctor, taken);
    const mine = await book(first, doctor, new Date(taken.getTime() + 60 * MINUTE));

    expect(
      await outcomeOf(
        server.services.appointmentLifecycle.rescheduleAppointment(asPatient(first), mine.id, new Date(taken.getTime() + 15 * MINUTE)),
      ),
    ).toBe('SLOT_UNAVAILABLE');
    const moved = await server.services.appointmentLifecycle.rescheduleAppointment(
      asDoctor(doctor),
      mine.id,
      new Date(taken.getTime() + 30 * MINUTE),
      45,
    );
    expect(moved.startsAt.toISOString()).toBe(new Date(taken.getTime() + 30 * MINUTE).toISOString());
    expect(moved.endsAt.getTime() - moved.startsAt.getTime()).toBe(45 * MINUTE);

    const keptLength = await server.services.appointmentLifecycle.rescheduleAppointment(
      asPatient(first),
      mine.id,
      new Date(taken.getTime() + 180 * MINUTE),
    );
    expect(keptLength.endsAt.getTime() - keptLength.startsAt.getTime()).toBe(45 * MINUTE);
  });

  it('lets exactly one win when a reschedule into a slot races a booking of it', async () => {
    const doctor = await registerDoctor(server);
    for (let round = 0; round < 8; round += 1) {
      const [mover, booker] = [await registerPatient(server), await registerPatient(server)];
      const contested = futureSlot();
      const existing = await book(mover, doctor, new Date(contested.getTime() + 120 * MINUTE));
      const results = await Promise.all([
        outcomeOf(server.services.appointmentLifecycle.rescheduleAppointment(asPatient(mover), existing.id, contested)),
        outcomeOf(book(booker, doctor, contested)),
      ]);
      expect([...results].sort()).toEqual(['OK', 'SLOT_UNAVAILABLE']);
      const holders = await server.database.prisma.appointment.count({
        where: { doctorId: doctor.id, status: 'BOOKED', startsAt: contested },
      });
      expect(holders).toBe(1);
    }
  });

  it('lets only one of two concurrent cancels through; the other is told it is already cancelled', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const booked = await book(patient, doctor, futureSlot());
    const results = await Promise.all([
      outcomeOf(server.services.appointmentLifecycle.cancelAppointment(asPatient(patient), booked.id)),
      outcomeOf(server.services.appointmentLifecycle.cancelAppointment(asDoctor(doctor), booked.id)),
    ]);
    expect([...results].sort()).toEqual(['BAD_USER_INPUT', 'OK']);
  });

  it('completes a started visit and then refuses to cancel or reschedule it', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const booked = await book(patient, doctor, futureSlot());
    const lifecycle = server.services.appointmentLifecycle;
    expect(await outcomeOf(lifecycle.completeAppointment(asDoctor(doctor), booked.id))).toBe('BAD_USER_INPUT');

    // Arrange a visit that has started: bookings can only be made for the future.
    const startedAt = new Date(Date.now() - 10 * MINUTE);
    await server.database.prisma.appointment.update({
      where: { id: booked.id },
      data: { startsAt: startedAt, endsAt: new Date(startedAt.getTime() + 30 * MINUTE) },
    });
    expect(await outcomeOf(lifecycle.rescheduleAppointment(asPatient(patient), booked.id, futureSlot()))).toBe('BAD_USER_INPUT');
    expect(await lifecycle.completeAppointment(asDoctor(doctor), booked.id)).toMatchObject({ status: 'COMPLETED' });
    expect(await outcomeOf(lifecycle.cancelAppointment(asPatient(patient), booked.id))).toBe('BAD_USER_INPUT');
    expect(await outcomeOf(lifecycle.completeAppointment(asDoctor(doctor), booked.id))).toBe('BAD_USER_INPUT');
  });

  it('refuses to reschedule a cancelled appointment with BAD_USER_INPUT and the reason', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const booked = await book(patient, doctor, futureSlot());
    await server.services.appointmentLifecycle.cancelAppointment(asDoctor(doctor), booked.id, null);
    const error = await server.services.appointmentLifecycle
      .rescheduleAppointment(asPatient(patient), booked.id, futureSlot())
      .catch((e: unknown) => e);
    expect(codeOf(error)).toBe('BAD_USER_INPUT');
    expect((error as GraphQLError).message).toMatch(/cancelled appointment cannot be rescheduled/);
  });
});

describe('working hours on PostgreSQL', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('services');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('books inside the hours across the March change in Paris and refuses outside them with SLOT_UNAVAILABLE', async () => {
    const doctor = await registerDoctor(server, { timeZone: 'Europe/Paris' });
    const patient = await registerPatient(server);
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: '09:00', endTime: '17:00' }));
    await server.services.availability.setWorkingHours(asDoctor(doctor), doctor.id, weekdays);
    const bookAt = (startsAt: Date) =>
      outcomeOf(server.services.appointments.bookAppointment(asPatient(patient), { doctorId: doctor.id, startsAt }));
    // The next spring-forward Sunday far enough ahead that its Friday is still to come: Paris is
    // UTC+1 (CET) until then and UTC+2 (CEST) from then on.
    const change = nextEuropeanClockChange(3, 4);
    const [friday, saturday, monday, tuesday] = [-2, -1, 1, 2].map((offset) => addDays(change, offset)) as [UtcDay, UtcDay, UtcDay, UtcDay];

    expect(await bookAt(utcAt(friday, '07:00'))).toBe('SLOT_UNAVAILABLE'); // Friday 08:00 CET
    expect(await bookAt(utcAt(friday, '08:00'))).toBe('OK'); // Friday 09:00 CET
    expect(await bookAt(utcAt(saturday, '10:00'))).toBe('SLOT_UNAVAILABLE'); // Saturday
    expect(await bookAt(utcAt(monday, '07:00'))).toBe('OK'); // Monday 09:00 CEST
    expect(await bookAt(utcAt(monday, '14:45'))).toBe('SLOT_UNAVAILABLE'); // Monday 16:45-17:15 CEST

    const slots = await server.services.availability.availableSlots(asPatient(patient), doctor.id, {
      from: utcAt(friday, '00:00'),
      to: utcAt(tuesday, '00:00'),
      durationMinutes: 60,
    });
    const firstOfDay = new Map<string, string>();
    for (const slot of slots)
      if (!firstOfDay.has(slot.toISOString().slice(0, 10))) firstOfDay.set(slot.toISOString().slice(0, 10), slot.toISOString());
    // The 08:00 UTC hour on Friday and the 07:00 UTC hour on Monday are booked: the first free
    // slots are an hour later, still on the 09:00-local grid on both sides of the change.
    expect([...firstOfDay.values()]).toEqual([utcAt(friday, '09:00').toISOString(), utcAt(monday, '08:00').toISOString()]);
    expect(slots.filter((slot) => slot.toISOString().startsWith(isoDate(monday)))).toHaveLength(7);
  });

  it('refuses a reschedule onto a day off, and accepts any time for a doctor without hours', async () => {
    const doctor = await registerDoctor(server, { timeZone: 'Europe/Paris' });
    const patient = await registerPatient(server);
    const anyTime = await server.services.appointments.bookAppointment(asPatient(patient), {
      doctorId: doctor.id,
      startsAt: utcAt(daysFromNow(2), '02:00'),
    });
    expect(anyTime.status).toBe('BOOKED');

    // A Wednesday off, and the Wednesday after it; 09:00 UTC is 10:00 or 11:00 in Paris.
    const wednesdayOff = nextWeekday(3, daysFromNow(7));
    const nextWednesday = addDays(wednesdayOff, 7);
    await server.services.availability.setWorkingHours(asDoctor(doctor), doctor.id, [{ weekday: 3, startTime: '09:00', endTime: '17:00' }]);
    await server.services.availability.addDayOff(asDoctor(doctor), doctor.id, isoDate(wednesdayOff));
    const move = (startsAt: Date) =>
      outcomeOf(server.services.appointmentLifecycle.rescheduleAppointment(asPatient(patient), anyTime.id, startsAt));
    expect(await move(utcAt(wednesdayOff, '09:00'))).toBe('SLOT_UNAVAILABLE'); // a Wednesday, but off
    expect(await move(utcAt(nextWednesday, '09:00'))).toBe('OK'); // the next Wednesday

    const availability = await server.services.availability.doctorAvailability(asPatient(patient), doctor.id);
    expect(availability).toEqual({
      timeZone: 'Europe/Paris',
      weeklyHours: [{ weekday: 3, startTime: '09:00', endTime: '17:00' }],
      daysOff: [isoDate(wednesdayOff)],
    });
  });
});
