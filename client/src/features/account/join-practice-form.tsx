import { useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import { ACCEPT_INVITATION } from './account.graphql';

/** What a refused code means, in plain words (the server gives one refusal for every bad code, on purpose). */
export const CODE_REFUSED =
  'This code did not work. It may be mistyped, already used, withdrawn or expired, or it was sent to another email address than yours. Ask the practice for a new one.';

/**
 * A patient joins a practice with the code it sent them (acceptInvitation): its front desk can
 * then book appointments for them. A refusal is shown under the field, which gets the focus back.
 */
export function JoinPracticeForm() {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [joined, setJoined] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const [accept, { loading }] = useMutation(ACCEPT_INVITATION);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setJoined(false);
    if (!code.trim()) {
      setProblem('Enter the invitation code from the practice’s email.');
      input.current?.focus();
      return;
    }
    try {
      const { data } = await accept({ variables: { code: code.trim() } });
      if (data?.acceptInvitation) {
        setCode('');
        setJoined(true);
      }
    } catch (error) {
      const { code: errorCode, message } = apiProblem(error);
      setProblem(errorCode === 'FORBIDDEN' ? CODE_REFUSED : message);
      input.current?.focus();
    }
  };

  return (
    <section className="panel" aria-labelledby="join-practice-title">
      <h2 id="join-practice-title">Join a practice with an invitation code</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor="join-practice-code">Invitation code</label>
        <input
          id="join-practice-code"
          ref={input}
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'join-practice-code-error' : undefined}
        />
        {problem && (
          <p id="join-practice-code-error" role="alert" className="field-error">
            {problem}
          </p>
        )}
        <button type="submit" disabled={loading}>
          {loading ? 'Joining…' : 'Join the practice'}
        </button>
        {joined && (
          <p role="status" className="notice">
            You joined the practice. Its front desk can now book appointments for you.
          </p>
        )}
      </form>
    </section>
  );
}
