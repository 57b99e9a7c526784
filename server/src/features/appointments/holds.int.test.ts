// Holds against real PostgreSQL (issue 26): a hold is an appointments row with status HELD, so the
// exclusion constraints that refuse double booking refuse a booking or a hold over a live hold too,
// however many requests race; an expired hold blocks nothing, before any sweep has run. Time moves
// by the server's injected clock, never by waiting.
import { outcomeOf } from '../../../test/helpers/errors';
import { allowBookingWithoutHours, futureSlot, registerDoctor, registerPatient, type TestAccount } from '../../../test/helpers/accounts';
import { movableClock } from '../../../test/helpers/movable-clock';
import { startTestServer, type TestServer } from '../../../test/helpers/test-server';
import type { Viewer } from '../../accounts/authorization';
import { internalViewer } from '../../accounts/viewer';
import { Role } from '../../generated/prisma/enums';
import { SWEEP_AFTER_EXPIRY_MS } from './holds.rules';

const asPatient = (account: TestAccount): Viewer => internalViewer(account.id, Role.PATIENT);
const MINUTE = 60_000;
const TTL = 5 * MINUTE;

describe('slot holds on PostgreSQL', () => {
  const clock = movableClock();
  let server: TestServer;
  let doctor: TestAccount;

  beforeAll(async () => {
    server = await startTestServer('services', { HOLD_TTL: '5m' }, { clock });
    doctor = await registerDoctor(server);
    await allowBookingWithoutHours(server, doctor);
  });
  afterAll(async () => {
    await server.dispose();
  });

  const hold = (patient: TestAccount, startsAt: Date, durationMinutes = 30) =>
    server.services.appointments.holdSlot(asPatient(patient), { doctorId: doctor.id, startsAt, durationMinutes });
  const book = (patient: TestAccount, startsAt: Date, extra: { holdId?: string; durationMinutes?: number } = {}) =>
    server.services.appointments.bookAppointment(asPatient(patient), { doctorId: doctor.id, startsAt, durationMinutes: 30, ...extra });
  const freeAt = async (patient: TestAccount, startsAt: Date) =>
    (
      await server.services.availability.availableSlots(asPatient(patient), doctor.id, {
        from: startsAt,
        to: new Date(startsAt.getTime() + 30 * MINUTE),
        durationMinutes: 30,
      })
    ).length === 1;
  const rowsAt = (startsAt: Date) =>
    server.database.prisma.appointment.findMany({ where: { doctorId: doctor.id, startsAt }, select: { id: true, status: true } });

  it('keeps a held time from every other booking and hold, and shows it busy, not free', async () => {
    const [holder, other] = [await registerPatient(server), await registerPatient(server)];
    const slot = futureSlot();
    const held = await hold(holder, slot);
    expect(held).toMatchObject({ doctorId: doctor.id, startsAt: slot, endsAt: new Date(slot.getTime() + 30 * MINUTE) });
    expect(held.expiresAt).toEqual(new Date(clock().getTime() + TTL));

    expect(await outcomeOf(book(other, slot))).toBe('SLOT_UNAVAILABLE');
    expect(await outcomeOf(book(other, new Date(slot.getTime() + 15 * MINUTE)))).toBe('SLOT_UNAVAILABLE');
    expect(await outcomeOf(hold(other, new Date(slot.getTime() - 15 * MINUTE)))).toBe('SLOT_UNAVAILABLE');
    expect(await freeAt(other, slot)).toBe(false);
    const busy = await server.services.availability.bookedTimes(asPatient(other), doctor.id, {
      from: slot,
      to: new Date(slot.getTime() + 30 * MINUTE),
      durationMinutes: 30,
    });
    expect(busy).toEqual([{ start: slot, end: new Date(slot.getTime() + 30 * MINUTE) }]);
    // Not an appointment: the patient's appointments and the doctor's calendar leave it out.
    expect(await server.services.appointments.appointmentsOfPatients(asPatient(holder), [holder.id])).toEqual([[]]);
    expect(await outcomeOf(server.services.appointments.readAppointment(asPatient(holder), held.id))).toBe('NOT_FOUND');
  });

  it('lets exactly one of many concurrent holds of one time win', async () => {
    const patients = await Promise.all(Array.from({ length: 8 }, () => registerPatient(server)));
    const slot = futureSlot();
    const outcomes = await Promise.all(patients.map((patient) => outcomeOf(hold(patient, slot))));
    expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'SLOT_UNAVAILABLE')).toHaveLength(7);
    expect(await rowsAt(slot)).toEqual([{ id: expect.any(String), status: 'HELD' }]);
  });

  it('lets exactly one of many concurrent holds and bookings of one time win', async () => {
    const patients = await Promise.all(Array.from({ length: 10 }, () => registerPatient(server)));
    const slot = futureSlot();
    const outcomes = await Promise.all(
      patients.map((patient, index) => outcomeOf(index % 2 === 0 ? hold(patient, slot) : book(patient, slot))),
    );
    expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'SLOT_UNAVAILABLE')).toHaveLength(9);
    expect(await rowsAt(slot)).toHaveLength(1);
  });

  it('books with the hold: the same id, booked, and the hold is gone', async () => {
    const patient = await registerPatient(server);
    const slot = futureSlot();
    const held = await hold(patient, slot, 45);
    const booked = await server.services.appointments.bookAppointment(asPatient(patient), {
      doctorId: doctor.id,
      startsAt: slot,
      holdId: held.id,
      reason: 'Check-up',
    });
    expect(booked).toMatchObject({ id: held.id, status: 'BOOKED', endsAt: held.endsAt, reason: 'Check-up' });
    expect(await rowsAt(slot)).toEqual([{ id: held.id, status: 'BOOKED' }]);
    expect((await server.services.appointments.appointmentsOfPatients(asPatient(patient), [patient.id]))[0]).toHaveLength(1);
    const row = await server.database.prisma.appointment.findUniqueOrThrow({ where: { id: held.id } });
    expect(row.holdExpiresAt).toBeNull();
    // The hold is used up: booking with it again finds none.
    expect(await outcomeOf(book(patient, slot, { holdId: held.id }))).toBe('NOT_FOUND');
  });

  it("refuses someone else's hold as NOT_FOUND, another time as BAD_USER_INPUT, and an expired one as HOLD_EXPIRED", async () => {
    const [holder, other] = [await registerPatient(server), await registerPatient(server)];
    const slot = futureSlot();
    const held = await hold(holder, slot);
    expect(await outcomeOf(book(other, slot, { holdId: held.id }))).toBe('NOT_FOUND');
    expect(await outcomeOf(book(holder, new Date(slot.getTime() + 30 * MINUTE), { holdId: held.id }))).toBe('BAD_USER_INPUT');
    expect(await outcomeOf(book(holder, slot, { holdId: held.id, durationMinutes: 60 }))).toBe('BAD_USER_INPUT');
    expect(await outcomeOf(book(holder, slot, { holdId: 'not-an-id' }))).toBe('NOT_FOUND');
    clock.advance(TTL);
    expect(await outcomeOf(book(holder, slot, { holdId: held.id }))).toBe('HOLD_EXPIRED');
    expect(await rowsAt(slot)).toEqual([{ id: held.id, status: 'HELD' }]);
  });

  it('frees an expired hold at once, before any sweep: it is free, and another patient holds or books it', async () => {
    const [holder, second, third] = [await registerPatient(server), await registerPatient(server), await registerPatient(server)];
    const slot = futureSlot();
    const first = await hold(holder, slot);
    clock.advance(TTL - 1);
    expect(await freeAt(second, slot)).toBe(false);
    expect(await outcomeOf(book(second, slot))).toBe('SLOT_UNAVAILABLE');
    clock.advance(1);
    expect(await freeAt(second, slot)).toBe(true);
    // A hold over the expired one: the expired row goes in the same statement.
    const again = await hold(second, slot);
    expect(await rowsAt(slot)).toEqual([{ id: again.id, status: 'HELD' }]);
    clock.advance(TTL);
    const booked = await book(third, slot);
    expect(await rowsAt(slot)).toEqual([{ id: booked.id, status: 'BOOKED' }]);
    expect(first.id).not.toBe(again.id);
  });

  it('lets exactly one of many concurrent bookings over an expired hold win', async () => {
    const holder = await registerPatient(server);
    const patients = await Promise.all(Array.from({ length: 6 }, () => registerPatient(server)));
    const slot = futureSlot();
    await hold(holder, slot);
    clock.advance(TTL);
    const outcomes = await Promise.all(patients.map((patient) => outcomeOf(book(patient, slot))));
    expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'SLOT_UNAVAILABLE')).toHaveLength(5);
    expect(await rowsAt(slot)).toEqual([{ id: expect.any(String), status: 'BOOKED' }]);
  });

  it('reschedules into the time of an expired hold', async () => {
    const [holder, patient] = [await registerPatient(server), await registerPatient(server)];
    const slot = futureSlot();
    const mine = await book(patient, new Date(slot.getTime() + 120 * MINUTE));
    await hold(holder, slot);
    expect(await outcomeOf(server.services.appointmentLifecycle.rescheduleAppointment(asPatient(patient), mine.id, slot, null))).toBe(
      'SLOT_UNAVAILABLE',
    );
    clock.advance(TTL);
    const moved = await server.services.appointmentLifecycle.rescheduleAppointment(asPatient(patient), mine.id, slot, null);
    expect(moved).toMatchObject({ id: mine.id, startsAt: slot });
  });

  it('holds and books over GraphQL (holdSlot, bookAppointment with holdId), audited as a hold then a booking', async () => {
    const patient = await registerPatient(server);
    const slot = futureSlot();
    const held = await server.gql<{
      holdSlot: { id: string; startsAt: string; endsAt: string; expiresAt: string; doctor: { id: string } };
    }>(
      'mutation ($input: HoldSlotInput!) { holdSlot(input: $input) { id startsAt endsAt expiresAt doctor { id } } }',
      { input: { doctorId: doctor.id, startsAt: slot.toISOString(), durationMinutes: 20 } },
      patient.token,
    );
    expect(held.errors).toBeUndefined();
    const hold = held.data?.holdSlot;
    expect(hold).toMatchObject({
      startsAt: slot.toISOString(),
      endsAt: new Date(slot.getTime() + 20 * MINUTE).toISOString(),
      expiresAt: new Date(clock().getTime() + TTL).toISOString(),
      doctor: { id: doctor.id },
    });
    const booked = await server.gql<{ bookAppointment: { id: string; status: string; endsAt: string } }>(
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id status endsAt } }',
      { input: { doctorId: doctor.id, startsAt: slot.toISOString(), holdId: hold?.id } },
      patient.token,
    );
    expect(booked.data?.bookAppointment).toEqual({ id: hold?.id, status: 'BOOKED', endsAt: hold?.endsAt });
    const rows = await server.database.prisma.auditEvent.findMany({ where: { objectId: hold?.id }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => row.action)).toEqual(['appointment.hold', 'appointment.book']);
  });

  it('sweeps holds long expired, and only those', async () => {
    const [early, late] = [await registerPatient(server), await registerPatient(server)];
    const [slotA, slotB] = [futureSlot(), futureSlot()];
    const old = await hold(early, slotA);
    clock.advance(SWEEP_AFTER_EXPIRY_MS);
    const live = await hold(late, slotB);
    clock.advance(TTL);
    expect(await server.background.holds.sweep()).toBeGreaterThanOrEqual(1);
    const left = await server.database.prisma.appointment.findMany({ where: { id: { in: [old.id, live.id] } }, select: { id: true } });
    expect(left).toEqual([{ id: live.id }]);
  });
});
