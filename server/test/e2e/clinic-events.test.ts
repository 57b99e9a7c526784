// The clinic's live events end to end, over real graphql-ws sockets on both deployments: every
// appointment change reaches the doctor's and the patient's subscriptions after commit, carrying
// the whole appointment; vitals reach every doctor of the patient and the patient; `after` resumes.
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import {
  ADD_RECORD,
  APPOINTMENT_UPDATED,
  CANCEL,
  COMPLETE,
  makeItStarted,
  MY_APPOINTMENT_UPDATED,
  MY_VITALS_RECORDED,
  PATIENT_RECORDS,
  PATIENT_VITALS,
  RECORD_VITALS,
  RESCHEDULE,
  VITALS_RECORDED,
  type AppointmentUpdatedData,
} from '../helpers/clinic';
import { startTestServer, type Mode, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers, waitForPatientSubscribers } from '../helpers/wait-for';
import { subscribe, type TestSubscription } from '../helpers/ws-client';

interface VitalsRecordedData {
  cursor: string;
  patient: { id: string; name?: string; latestVitals?: { id: string } | null };
  vitals: { id: string; heartRate: number | null; systolic: number | null; temperatureC: number | null };
}

describe.each<Mode>(['embedded', 'services'])('clinic events on live sockets (%s)', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(async () => {
    await server.dispose();
  });

  const open = <T>(token: string, query: string, variables: Record<string, unknown> = {}): TestSubscription<T> =>
    subscribe<T>(server.wsUrl, token, query, variables);

  it('tells the doctor and the patient about a reschedule, a completion and a cancellation, with the whole appointment', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const dashboard = open<{ appointmentUpdated: AppointmentUpdatedData }>(doctor.token, APPOINTMENT_UPDATED, { doctorId: doctor.id });
    const phone = open<{ myAppointmentUpdated: AppointmentUpdatedData }>(patient.token, MY_APPOINTMENT_UPDATED);
    await waitForDoctorSubscribers(server, doctor.id);
    await waitForPatientSubscribers(server, patient.id);

    const first = (await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), reason: 'Check-up' })).data!.bookAppointment;
    const second = (await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() })).data!.bookAppointment;
    const newStart = futureSlot();
    const moved = await server.gql(RESCHEDULE, { id: first.id, startsAt: newStart, durationMinutes: 60 }, patient.token);
    expect(moved.errors).toBeUndefined();
    await makeItStarted(server, first.id);
    expect((await server.gql(COMPLETE, { id: first.id }, doctor.token)).errors).toBeUndefined();
    expect((await server.gql(CANCEL, { id: second.id, reason: 'Travelling' }, doctor.token)).errors).toBeUndefined();

    const forDoctor = [await dashboard.next(), await dashboard.next(), await dashboard.next()].map((r) => r.data!.appointmentUpdated);
    const forPatient = [await phone.next(), await phone.next(), await phone.next()].map((r) => r.data!.myAppointmentUpdated);
    for (const events of [forDoctor, forPatient]) {
      expect(events.map((e) => [e.change, e.appointment.id, e.appointment.status])).toEqual([
        ['RESCHEDULED', first.id, 'BOOKED'],
        ['COMPLETED', first.id, 'COMPLETED'],
        ['CANCELLED', second.id, 'CANCELLED'],
      ]);
      expect(events[0]!.appointment).toMatchObject({
        startsAt: newStart.toISOString(),
        endsAt: new Date(newStart.getTime() + 60 * 60_000).toISOString(),
        reason: 'Check-up',
        doctor: { id: doctor.id },
        patient: { id: patient.id },
      });
      expect(events[2]!.appointment.cancellationReason).toBe('Travelling');
    }
  });

  it('resumes appointmentUpdated after a cursor with only the missed changes, then live ones', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const ids = [];
    for (let i = 0; i < 4; i += 1)
      ids.push((await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() })).data!.bookAppointment.id);
    const first = open<{ appointmentUpdated: AppointmentUpdatedData }>(doctor.token, APPOINTMENT_UPDATED, { doctorId: doctor.id });
    await waitForDoctorSubscribers(server, doctor.id);
    await server.gql(CANCEL, { id: ids[0] }, patient.token);
    const cursor = (await first.next()).data!.appointmentUpdated.cursor;
    await first.dispose();

    // Missed while away: two cancellations with a booking (another topic on the same stream) between them.
    await server.gql(CANCEL, { id: ids[1] }, patient.token);
    await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
    await server.gql(CANCEL, { id: ids[2] }, doctor.token);

    const resumed = open<{ appointmentUpdated: AppointmentUpdatedData }>(doctor.token, APPOINTMENT_UPDATED, {
      doctorId: doctor.id,
      after: cursor,
    });
    const replayed = [await resumed.next(), await resumed.next()].map((r) => r.data!.appointmentUpdated.appointment.id);
    expect(replayed).toEqual([ids[1], ids[2]]);
    await waitForDoctorSubscribers(server, doctor.id);
    await server.gql(CANCEL, { id: ids[3] }, patient.token);
    expect((await resumed.next()).data!.appointmentUpdated.appointment.id).toBe(ids[3]);
    expect(resumed.pending).toBe(0);
  });

  it('delivers recorded vitals to every doctor with the patient on their list and to the patient, and keeps the history', async () => {
    const [cardiologist, gp] = [await registerDoctor(server), await registerDoctor(server)];
    const patient = await registerPatient(server);
    await book(server, patient, { doctorId: cardiologist.id, startsAt: futureSlot() });
    await book(server, patient, { doctorId: gp.id, startsAt: futureSlot() });
    const dashboards = [cardiologist, gp].map((doctor) =>
      open<{ vitalsRecorded: VitalsRecordedData }>(doctor.token, VITALS_RECORDED, { doctorId: doctor.id }),
    );
    const phone = open<{ myVitalsRecorded: VitalsRecordedData }>(patient.token, MY_VITALS_RECORDED);
    await waitForDoctorSubscribers(server, cardiologist.id);
    await waitForDoctorSubscribers(server, gp.id);
    await waitForPatientSubscribers(server, patient.id);

    const first = await server.gql<{ recordVitals: { id: string } }>(
      RECORD_VITALS,
      { patientId: patient.id, input: { heartRate: 72, systolic: 128, diastolic: 82 } },
      cardiologist.token,
    );
    expect(first.errors).toBeUndefined();
    const second = await server.gql<{ recordVitals: { id: string } }>(
      RECORD_VITALS,
      { patientId: patient.id, input: { temperatureC: 38.2 } },
      gp.token,
    );
    expect(second.errors).toBeUndefined();

    for (const dashboard of dashboards) {
      const events = [await dashboard.next(), await dashboard.next()].map((r) => r.data!.vitalsRecorded);
      expect(events.map((e) => e.vitals.id)).toEqual([first.data!.recordVitals.id, second.data!.recordVitals.id]);
      expect(events[0]).toMatchObject({ patient: { id: patient.id, name: patient.name }, vitals: { heartRate: 72, systolic: 128 } });
      expect(events[1]!.patient.latestVitals).toEqual({ id: second.data!.recordVitals.id });
    }
    const mine = [await phone.next(), await phone.next()].map((r) => r.data!.myVitalsRecorded.vitals.id);
    expect(mine).toEqual([first.data!.recordVitals.id, second.data!.recordVitals.id]);

    const history = await server.gql<{ patientVitals: Array<{ id: string }> }>(PATIENT_VITALS, { patientId: patient.id }, patient.token);
    expect(history.data!.patientVitals.map((v) => v.id)).toEqual([second.data!.recordVitals.id, first.data!.recordVitals.id]);
    const page = await server.gql<{ patientVitals: Array<{ id: string }> }>(
      PATIENT_VITALS,
      { patientId: patient.id, first: 1 },
      cardiologist.token,
    );
    expect(page.data!.patientVitals.map((v) => v.id)).toEqual([second.data!.recordVitals.id]);
  });

  it('resumes myVitalsRecorded after a cursor', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
    const first = open<{ myVitalsRecorded: VitalsRecordedData }>(patient.token, MY_VITALS_RECORDED);
    await waitForPatientSubscribers(server, patient.id);
    await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 60 } }, doctor.token);
    const cursor = (await first.next()).data!.myVitalsRecorded.cursor;
    await first.dispose();
    await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 61 } }, doctor.token);

    const resumed = open<{ myVitalsRecorded: VitalsRecordedData }>(patient.token, MY_VITALS_RECORDED, { after: cursor });
    expect((await resumed.next()).data!.myVitalsRecorded.vitals.heartRate).toBe(61);
  });

  it('keeps a corrected medical record readable and shows the current version by default', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
    const original = await server.gql<{ addMedicalRecord: { id: string } }>(
      ADD_RECORD,
      { patientId: patient.id, input: { diagnosis: 'Hypertension', icd10Code: 'i10' } },
      doctor.token,
    );
    expect(original.errors).toBeUndefined();
    const originalId = original.data!.addMedicalRecord.id;
    const correction = await server.gql<{ addMedicalRecord: { id: string; supersedesId: string } }>(
      ADD_RECORD,
      {
        patientId: patient.id,
        input: { diagnosis: 'Type 2 diabetes', icd10Code: 'E11.9', notes: 'Corrected after lab results', supersedesId: originalId },
      },
      doctor.token,
    );
    expect(correction.data!.addMedicalRecord.supersedesId).toBe(originalId);
    const again = await server.gql(
      ADD_RECORD,
      { patientId: patient.id, input: { diagnosis: 'Other', supersedesId: originalId } },
      doctor.token,
    );
    expect(again.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');

    type Records = { patientMedicalRecords: Array<{ id: string; icd10Code: string | null; supersededById: string | null }> };
    const current = await server.gql<Records>(PATIENT_RECORDS, { patientId: patient.id }, patient.token);
    expect(current.data!.patientMedicalRecords.map((r) => [r.id, r.icd10Code])).toEqual([[correction.data!.addMedicalRecord.id, 'E11.9']]);
    const all = await server.gql<Records>(PATIENT_RECORDS, { patientId: patient.id, includeSuperseded: true }, doctor.token);
    expect(all.data!.patientMedicalRecords.map((r) => [r.id, r.supersededById])).toEqual([
      [correction.data!.addMedicalRecord.id, null],
      [originalId, correction.data!.addMedicalRecord.id],
    ]);
  });
});
