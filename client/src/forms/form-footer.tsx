/**
 * The end of every form that submits one change: the refusal in plain words (role="alert", so a
 * screen reader hears it at once), then the submit button, busy while it works, and an optional
 * way out. One component so the booking, reschedule and working-hours forms read and behave alike.
 */
export interface FormFooterProps {
  readonly problem: string | null;
  readonly busy: boolean;
  readonly submitLabel: string;
  readonly busyLabel: string;
  /** The secondary button that leaves the form without a change; none when omitted. */
  readonly cancel?: { readonly label: string; readonly onClick: () => void };
}

export function FormFooter({ problem, busy, submitLabel, busyLabel, cancel }: FormFooterProps) {
  return (
    <>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {cancel && (
          <button type="button" className="secondary" onClick={cancel.onClick}>
            {cancel.label}
          </button>
        )}
      </div>
    </>
  );
}
