import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import { formatDateTime, fromLocalInputs, toDateInput } from '../../time';
import { AVAILABLE_SLOTS, DOCTOR_AVAILABILITY, RESCHEDULE_APPOINTMENT } from './booking.graphql';
import { FormFooter } from '../../forms/form-footer';
import { SlotPicker } from './slot-picker';

export interface RescheduleFormProps {
  readonly appointment: {
    readonly id: string;
    readonly startsAt: string;
    readonly endsAt: string;
    readonly doctor: { readonly id: string };
  };
  /** Who it is for, in the form's name ("your appointment", "Ann Lee"). */
  readonly label: string;
  readonly onDone: () => void;
}

/**
 * Moves a booked appointment to a new free time of the same doctor, keeping its length: the slot
 * picker for a doctor with working hours, a time field otherwise. One `rescheduleAppointment`
 * (atomic on the server: the old time is freed only if the new one is taken); every live view
 * follows from its RESCHEDULED event and the returned appointment.
 */
export function RescheduleForm({ appointment, label, onDone }: RescheduleFormProps) {
  const doctorId = appointment.doctor.id;
  const minutes = Math.max(5, Math.round((Date.parse(appointment.endsAt) - Date.parse(appointment.startsAt)) / 60_000));
  const [date, setDate] = useState(() => toDateInput(new Date(appointment.startsAt)));
  const [time, setTime] = useState('');
  const [slot, setSlot] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const availability = useQuery(DOCTOR_AVAILABILITY, { variables: { doctorId }, fetchPolicy: 'cache-and-network' });
  const usesSlots = (availability.data?.doctorAvailability.weeklyHours.length ?? 0) > 0;
  const [reschedule, { loading }] = useMutation(RESCHEDULE_APPOINTMENT, { refetchQueries: [AVAILABLE_SLOTS] });
  const id = `reschedule-${appointment.id}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const startsAt = usesSlots ? (slot ? new Date(slot) : null) : fromLocalInputs(date, time);
    if (!startsAt) return setProblem(usesSlots ? 'Choose one of the free times.' : 'Enter a date and a time.');
    if (startsAt.getTime() <= Date.now()) return setProblem('Choose a time in the future.');
    setProblem(null);
    try {
      await reschedule({ variables: { id: appointment.id, startsAt: startsAt.toISOString() } });
      onDone();
    } catch (error) {
      const { code, message } = apiProblem(error);
      setProblem(code === 'SLOT_UNAVAILABLE' ? 'This time is not free any more. Please choose another.' : message);
    }
  };

  return (
    <form className="reschedule" onSubmit={(event) => void submit(event)} aria-label={`Reschedule ${label}`} noValidate>
      <p className="muted small">Now {formatDateTime(appointment.startsAt)}; same length.</p>
      <label htmlFor={`${id}-date`}>New date</label>
      <input
        id={`${id}-date`}
        type="date"
        value={date}
        min={toDateInput(new Date())}
        onChange={(e) => {
          setSlot(null);
          setProblem(null);
          setDate(e.target.value);
        }}
      />
      {usesSlots ? (
        <SlotPicker doctorId={doctorId} date={date} durationMinutes={minutes} value={slot} onChange={setSlot} />
      ) : (
        <>
          <label htmlFor={`${id}-time`}>New time</label>
          <input id={`${id}-time`} type="time" step={300} value={time} onChange={(e) => setTime(e.target.value)} />
        </>
      )}
      <FormFooter
        problem={problem}
        busy={loading}
        submitLabel="Move it"
        busyLabel="Moving…"
        cancel={{ label: 'Keep the time', onClick: onDone }}
      />
    </form>
  );
}
