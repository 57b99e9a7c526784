import { useRef, useState, type FormEvent } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import { formatDateTime, fromLocalInputs, toDateInput } from '../../time';
import { AVAILABLE_SLOTS, DOCTOR_AVAILABILITY } from '../booking/booking.graphql';
import { SlotPicker } from '../booking/slot-picker';
import { BOOK_FOR_PATIENT } from './desk.graphql';
import { FormFooter } from '../../forms/form-footer';
import { applyPracticeAppointment } from './practice-events';

export interface DeskBookingProps {
  readonly practiceId: string;
  readonly patient: { readonly id: string; readonly name: string };
  readonly doctors: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly onDone: () => void;
}

/**
 * "Book for this patient": the same slot picker as the patient's own booking form (a time input
 * for a doctor without working hours), one idempotency key per attempt, so a double click books once.
 */
export function DeskBooking({ practiceId, patient, doctors, onDone }: DeskBookingProps) {
  const client = useApolloClient();
  const [doctorId, setDoctorId] = useState(doctors[0]?.id ?? '');
  const [date, setDate] = useState(() => toDateInput(new Date()));
  const [time, setTime] = useState('');
  const [slot, setSlot] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [booked, setBooked] = useState<string | null>(null);
  const attemptKey = useRef<string | null>(null);
  const [book, { loading }] = useMutation(BOOK_FOR_PATIENT, { refetchQueries: [AVAILABLE_SLOTS] });
  const availability = useQuery(DOCTOR_AVAILABILITY, { variables: { doctorId }, skip: !doctorId, fetchPolicy: 'cache-and-network' });
  const usesSlots = (availability.data?.doctorAvailability.weeklyHours.length ?? 0) > 0;
  const changed = () => {
    attemptKey.current = null;
    setProblem(null);
    setBooked(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const startsAt = usesSlots ? (slot ? new Date(slot) : null) : fromLocalInputs(date, time);
    if (!startsAt) return setProblem(usesSlots ? 'Choose one of the free times.' : 'Enter a date and a time.');
    attemptKey.current ??= crypto.randomUUID();
    try {
      const { data } = await book({
        variables: {
          input: {
            doctorId,
            patientId: patient.id,
            startsAt: startsAt.toISOString(),
            reason: reason.trim() || null,
            idempotencyKey: attemptKey.current,
          },
        },
      });
      if (data) {
        attemptKey.current = null;
        applyPracticeAppointment(client.cache, practiceId, data.bookAppointment);
        setBooked(`Booked ${patient.name} with ${data.bookAppointment.doctor.name} on ${formatDateTime(data.bookAppointment.startsAt)}.`);
        setSlot(null);
      }
    } catch (error) {
      const { code, message } = apiProblem(error);
      if (code === 'SLOT_UNAVAILABLE') attemptKey.current = null;
      setProblem(
        code === 'SLOT_UNAVAILABLE' ? 'This time is already taken (by the doctor or the patient). Please choose another.' : message,
      );
    }
  };

  return (
    <form className="desk-booking" onSubmit={(event) => void submit(event)} aria-label={`Book for ${patient.name}`} noValidate>
      <h3>Book for {patient.name}</h3>
      <label htmlFor="desk-doctor">Doctor</label>
      <select
        id="desk-doctor"
        value={doctorId}
        onChange={(e) => {
          changed();
          setSlot(null);
          setDoctorId(e.target.value);
        }}
      >
        {doctors.map((doctor) => (
          <option key={doctor.id} value={doctor.id}>
            {doctor.name}
          </option>
        ))}
      </select>
      <label htmlFor="desk-date">Date</label>
      <input
        id="desk-date"
        type="date"
        value={date}
        min={toDateInput(new Date())}
        onChange={(e) => {
          changed();
          setSlot(null);
          setDate(e.target.value);
        }}
      />
      {usesSlots ? (
        <SlotPicker
          doctorId={doctorId}
          date={date}
          durationMinutes={30}
          value={slot}
          onChange={(value) => {
            changed();
            setSlot(value);
          }}
        />
      ) : (
        <>
          <label htmlFor="desk-time">Time</label>
          <input
            id="desk-time"
            type="time"
            step={900}
            value={time}
            onChange={(e) => {
              changed();
              setTime(e.target.value);
            }}
          />
        </>
      )}
      <label htmlFor="desk-reason">
        Reason <span className="muted">(optional)</span>
      </label>
      <input
        id="desk-reason"
        maxLength={500}
        value={reason}
        onChange={(e) => {
          changed();
          setReason(e.target.value);
        }}
      />
      <FormFooter problem={problem} busy={loading} submitLabel="Book" busyLabel="Booking…" cancel={{ label: 'Close', onClick: onDone }} />
      {booked && (
        <p role="status" className="success" data-testid="desk-booking-confirmation">
          {booked}
        </p>
      )}
    </form>
  );
}
