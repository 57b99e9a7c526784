import { useEffect, useRef } from 'react';
import type { PatientRowFragment } from '../../__generated__/graphql';
import { AppointmentsSection } from './appointments-section';
import { RecordsSection } from './records-section';
import { VitalsSection } from './vitals-section';

export interface PatientDetailProps {
  readonly patient: PatientRowFragment;
  readonly doctorId: string;
  readonly onClose: () => void;
}

/**
 * One patient's appointments, vitals and records, in a modal <dialog>: the browser keeps focus in
 * it and closes it on Escape; focus then returns to the row's button that opened it.
 */
export function PatientDetail({ patient, doctorId, onClose }: PatientDetailProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  // No close() on unmount: its 'close' event arrives a task later and would shut the panel that
  // StrictMode's second mount just opened. An unmounted dialog leaves the top layer anyway.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open && typeof element.showModal === 'function') {
      opener.current = document.activeElement;
      element.showModal();
    }
  }, []);
  // Focus goes back to the row's button that opened the panel (browsers differ in doing it themselves).
  const closed = () => {
    onClose();
    if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
  };
  // Through the element, so Close and Escape take the same path.
  const close = () => {
    if (dialog.current?.open) dialog.current.close();
    else onClose();
  };
  return (
    <dialog ref={dialog} className="detail" aria-labelledby="detail-title" onClose={closed} data-testid="patient-detail">
      <div className="detail__header">
        <h2 id="detail-title">{patient.name}</h2>
        <button type="button" className="secondary" onClick={close}>
          Close
        </button>
      </div>
      <div className="detail__grid">
        <AppointmentsSection appointments={patient.appointments} />
        <VitalsSection patientId={patient.id} />
        <RecordsSection patientId={patient.id} doctorId={doctorId} />
      </div>
    </dialog>
  );
}
