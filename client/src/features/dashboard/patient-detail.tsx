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
 * One patient's appointments, vitals and records, in a modal <dialog>: the browser traps focus in
 * it, closes it on Escape and gives focus back to the row's button that opened it.
 */
export function PatientDetail({ patient, doctorId, onClose }: PatientDetailProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open && typeof element.showModal === 'function') element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog ref={dialog} className="detail" aria-labelledby="detail-title" onClose={onClose} data-testid="patient-detail">
      <div className="detail__header">
        <h2 id="detail-title">{patient.name}</h2>
        <button type="button" className="secondary" onClick={onClose}>Close</button>
      </div>
      <div className="detail__grid">
        <AppointmentsSection appointments={patient.appointments} />
        <VitalsSection patientId={patient.id} />
        <RecordsSection patientId={patient.id} doctorId={doctorId} />
      </div>
    </dialog>
  );
}
