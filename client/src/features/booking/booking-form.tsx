import { useRef, useState, type FormEvent } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import type { DoctorCardFragment } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { formatDateTime, fromLocalInputs, toDateInput, viewerTimeZone } from '../../time';
import { AVAILABLE_SLOTS, BOOK_APPOINTMENT, DOCTOR_AVAILABILITY, MY_APPOINTMENTS } from './booking.graphql';
import { DoctorList } from './doctor-list';
import { NextFreeTimes } from './next-free-times';
import { SlotPicker } from './slot-picker';

type Field = 'doctor' | 'date' | 'time' | 'duration' | 'reason';
const DURATIONS = [15, 30, 45, 60] as const;

/** Server input fields (extensions.field) to the form field that shows the message. */
const SERVER_FIELDS: Readonly<Record<string, Field>> = {
  doctorId: 'doctor',
  startsAt: 'time',
  durationMinutes: 'duration',
  reason: 'reason',
};

interface Values {
  doctorId: string | null;
  date: string;
  time: string;
  /** The free slot picked (ISO), when the doctor has working hours. */
  slot: string | null;
  duration: number;
  reason: string;
}

/**
 * The booking form. One idempotencyKey per attempt: it is made on the first submit of these exact
 * values and reused by every repeat (a double click, a retry after a timeout), so the server books
 * at most once; changing any value or a successful booking starts a new attempt.
 *
 * A doctor with working hours is booked by picking one of their free slots; a doctor without hours
 * accepts any future time (availableSlots would list every slot around the clock), so a time input
 * stays for them.
 */
export function BookingForm({ doctors }: { doctors: readonly DoctorCardFragment[] }) {
  const tomorrow = new Date(Date.now() + 86_400_000);
  const [values, setValues] = useState<Values>({
    doctorId: doctors[0]?.id ?? null,
    date: toDateInput(tomorrow),
    time: '09:00',
    slot: null,
    duration: 30,
    reason: '',
  });
  const [problem, setProblem] = useState<{ field: Field | null; message: string } | null>(null);
  const [booked, setBooked] = useState<{ startsAt: string; doctor: string } | null>(null);
  const attemptKey = useRef<string | null>(null);
  const inFlight = useRef(false);
  const client = useApolloClient();
  const [book, { loading }] = useMutation(BOOK_APPOINTMENT, {
    refetchQueries: [MY_APPOINTMENTS, AVAILABLE_SLOTS],
    awaitRefetchQueries: true,
  });
  const availability = useQuery(DOCTOR_AVAILABILITY, {
    variables: { doctorId: values.doctorId ?? '' },
    skip: !values.doctorId,
    fetchPolicy: 'cache-and-network',
  });
  // Until the doctor's hours are known, the time input (which any doctor accepts) is shown.
  const usesSlots = (availability.data?.doctorAvailability.weeklyHours.length ?? 0) > 0;

  const change = <K extends keyof Values>(field: K, value: Values[K]) => {
    attemptKey.current = null;
    setProblem(null);
    setBooked(null);
    // Another doctor, day or length has other free slots: the picked one no longer applies.
    const resetsSlot = field === 'doctorId' || field === 'date' || field === 'duration';
    setValues((current) => ({ ...current, ...(resetsSlot ? { slot: null } : {}), [field]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    if (!values.doctorId) return setProblem({ field: 'doctor', message: 'Choose a doctor.' });
    const startsAt = usesSlots ? (values.slot ? new Date(values.slot) : null) : fromLocalInputs(values.date, values.time);
    if (!startsAt) return setProblem({ field: 'time', message: usesSlots ? 'Choose one of the free times.' : 'Enter a date and a time.' });
    if (startsAt.getTime() <= Date.now()) return setProblem({ field: 'time', message: 'Choose a time in the future.' });
    attemptKey.current ??= crypto.randomUUID();
    inFlight.current = true;
    setProblem(null);
    try {
      const { data } = await book({
        variables: {
          input: {
            doctorId: values.doctorId,
            startsAt: startsAt.toISOString(),
            durationMinutes: values.duration,
            reason: values.reason.trim() || null,
            idempotencyKey: attemptKey.current,
          },
        },
      });
      if (data) {
        attemptKey.current = null;
        setBooked({ startsAt: data.bookAppointment.startsAt, doctor: data.bookAppointment.doctor.name });
        setValues((current) => ({ ...current, reason: '', slot: null }));
      }
    } catch (error) {
      const { code, field, message } = apiProblem(error);
      if (code === 'SLOT_UNAVAILABLE') {
        attemptKey.current = null;
        setProblem({
          field: 'time',
          message: 'This time is already taken (or you have another appointment then). Please choose another time.',
        });
        if (usesSlots) void client.refetchQueries({ include: [AVAILABLE_SLOTS] });
      } else if (code === 'BAD_USER_INPUT') {
        setProblem({ field: field ? (SERVER_FIELDS[field] ?? null) : null, message });
      } else {
        setProblem({ field: null, message });
      }
    } finally {
      inFlight.current = false;
    }
  };

  const errorId = (field: Field) => (problem?.field === field ? `booking-${field}-error` : undefined);
  const errorFor = (field: Field) =>
    problem?.field === field ? (
      <p id={`booking-${field}-error`} role="alert" className="field-error" data-testid={`${field}-error`}>
        {problem.message}
      </p>
    ) : null;

  return (
    <form className="booking-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="booking-title">
      <h2 id="booking-title">Book an appointment</h2>
      <DoctorList doctors={doctors} selectedId={values.doctorId} onSelect={(id) => change('doctorId', id)} errorId={errorId('doctor')} />
      {errorFor('doctor')}
      <div className="row">
        <div>
          <label htmlFor="booking-date">Date</label>
          <input
            id="booking-date"
            type="date"
            required
            min={toDateInput(new Date())}
            value={values.date}
            onChange={(e) => change('date', e.target.value)}
            aria-describedby={errorId('date')}
          />
        </div>
        {!usesSlots && (
          <div>
            <label htmlFor="booking-time">Time</label>
            <input
              id="booking-time"
              type="time"
              required
              step={900}
              value={values.time}
              onChange={(e) => change('time', e.target.value)}
              aria-describedby={errorId('time') ?? 'booking-time-zone'}
              aria-invalid={problem?.field === 'time'}
            />
          </div>
        )}
        <div>
          <label htmlFor="booking-duration">Duration</label>
          <select
            id="booking-duration"
            value={values.duration}
            onChange={(e) => change('duration', Number(e.target.value))}
            aria-describedby={errorId('duration')}
          >
            {DURATIONS.map((minutes) => (
              <option key={minutes} value={minutes}>
                {minutes} min
              </option>
            ))}
          </select>
        </div>
      </div>
      {usesSlots && values.doctorId && (
        <NextFreeTimes
          doctorId={values.doctorId}
          durationMinutes={values.duration}
          date={values.date}
          onDate={(date) => change('date', date)}
          onSlot={(date, slot) => {
            change('date', date);
            change('slot', slot);
          }}
        />
      )}
      {usesSlots && values.doctorId && (
        <SlotPicker
          doctorId={values.doctorId}
          date={values.date}
          durationMinutes={values.duration}
          value={values.slot}
          onChange={(slot) => change('slot', slot)}
          errorId={errorId('time')}
        />
      )}
      <p id="booking-time-zone" className="muted small">
        Your time zone: {viewerTimeZone}
      </p>
      {errorFor('date')}
      {errorFor('time')}
      {errorFor('duration')}
      <label htmlFor="booking-reason">
        Reason <span className="muted">(optional)</span>
      </label>
      <textarea
        id="booking-reason"
        rows={3}
        maxLength={500}
        value={values.reason}
        onChange={(e) => change('reason', e.target.value)}
        aria-describedby={errorId('reason')}
      />
      {errorFor('reason')}
      {problem && problem.field === null && (
        <p role="alert" className="field-error">
          {problem.message}
        </p>
      )}
      {/* Never disabled (the in-flight guard stops repeats): a disabled button would drop focus to the body. */}
      <button type="submit" aria-disabled={loading}>
        {loading ? 'Booking…' : 'Book'}
      </button>
      {booked && (
        <p role="status" className="success" data-testid="booking-confirmation">
          Booked with {booked.doctor} on {formatDateTime(booked.startsAt)}.
        </p>
      )}
    </form>
  );
}
