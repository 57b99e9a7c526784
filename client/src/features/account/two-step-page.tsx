import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import QRCode from 'qrcode';
import type { StartMfaEnrollmentMutation } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { CONFIRM_MFA_ENROLLMENT, DISABLE_MFA, MY_TWO_STEP, START_MFA_ENROLLMENT } from './account.graphql';

type Enrollment = StartMfaEnrollmentMutation['startMfaEnrollment'];

/**
 * Two-step verification: set up a TOTP authenticator app (scan the QR code or type the secret,
 * keep the recovery codes, confirm with a code), or turn it off with the password and a code.
 * For an account whose role must use it (`pending`), this is the only page until it is on.
 */
export function TwoStepPage({
  pending,
  onChanged,
}: {
  pending: boolean;
  /** After turning it on or off: whether the account now still lacks a second factor its role requires. */
  onChanged: (pending: boolean) => void;
}) {
  const me = useQuery(MY_TWO_STEP, { fetchPolicy: 'network-only' });
  const enabled = me.data?.me.mfaEnabled ?? false;
  const changed = () =>
    void me.refetch().then(({ data }) => {
      if (data) onChanged(data.me.mfaRequired && !data.me.mfaEnabled);
    });

  return (
    <div className="account-page">
      <section className="panel" aria-labelledby="two-step-title">
        <h1 id="two-step-title">Two-step verification</h1>
        {pending && (
          <p role="status" className="notice">
            Your clinic requires two-step verification for your role. Set it up to continue.
          </p>
        )}
        {me.loading && !me.data ? <p className="muted">Loading…</p> : enabled ? <TurnOff onDone={changed} /> : <SetUp onDone={changed} />}
      </section>
    </div>
  );
}

function SetUp({ onDone }: { onDone: () => void }) {
  const [start, starting] = useMutation(START_MFA_ENROLLMENT);
  const [confirm, confirming] = useMutation(CONFIRM_MFA_ENROLLMENT);
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const stepsHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!enrollment) return;
    let current = true;
    QRCode.toDataURL(enrollment.otpauthUrl, { margin: 1, width: 192 }).then(
      (url) => current && setQr(url),
      () => current && setQr(null),
    );
    stepsHeading.current?.focus();
    return () => {
      current = false;
    };
  }, [enrollment]);

  const begin = async () => {
    setProblem(null);
    try {
      const { data } = await start();
      if (data) setEnrollment(data.startMfaEnrollment);
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      await confirm({ variables: { code } });
      onDone();
    } catch (error) {
      const { code: errorCode, message } = apiProblem(error);
      setProblem(
        errorCode === 'BAD_USER_INPUT' ? "That code is not right. Check the phone's clock and enter the code it shows now." : message,
      );
    }
  };

  if (!enrollment) {
    return (
      <>
        <p>
          After your password, you will also enter a 6-digit code from an authenticator app on your phone (Google Authenticator, Microsoft
          Authenticator, 1Password, FreeOTP…). Someone who learns your password still cannot sign in as you.
        </p>
        {problem && (
          <p role="alert" className="field-error">
            {problem}
          </p>
        )}
        <button type="button" disabled={starting.loading} onClick={() => void begin()}>
          Set up two-step verification
        </button>
      </>
    );
  }
  return (
    <>
      <h2 id="two-step-steps" ref={stepsHeading} tabIndex={-1}>
        Set up your authenticator app
      </h2>
      <ol className="two-step">
        <li>
          <p>Scan this code with the app, or type the key below into it.</p>
          {qr && <img src={qr} width={192} height={192} alt="QR code holding your two-step verification key" />}
          <p>
            Key: <code className="two-step__secret">{enrollment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
        </li>
        <li>
          <p>
            Keep these recovery codes somewhere safe (printed, or in a password manager). Each signs you in once if you lose your phone.
            They are shown only now.
          </p>
          <ul className="two-step__codes" aria-label="Recovery codes">
            {enrollment.recoveryCodes.map((recovery) => (
              <li key={recovery}>
                <code>{recovery}</code>
              </li>
            ))}
          </ul>
        </li>
        <li>
          <form onSubmit={(event) => void submit(event)} noValidate>
            <label htmlFor="two-step-code">Code from the app</label>
            <input
              id="two-step-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]*"
              maxLength={6}
              required
              value={code}
              onChange={(event) => setCode(event.target.value.replace(/\s/g, ''))}
              aria-describedby={problem ? 'two-step-problem' : undefined}
            />
            {problem && (
              <p id="two-step-problem" role="alert" className="field-error">
                {problem}
              </p>
            )}
            <button type="submit" disabled={confirming.loading}>
              Turn on two-step verification
            </button>
          </form>
        </li>
      </ol>
    </>
  );
}

function TurnOff({ onDone }: { onDone: () => void }) {
  const [disable, disabling] = useMutation(DISABLE_MFA);
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      await disable({ variables: { password, otp } });
      setPassword('');
      setOtp('');
      onDone();
    } catch (error) {
      const { code, message } = apiProblem(error);
      setProblem(code === 'BAD_USER_INPUT' ? 'The password or the code is not right.' : message);
    }
  };

  return (
    <>
      <p role="status">Two-step verification is on: signing in asks for a code from your authenticator app.</p>
      <h2 id="two-step-off-title">Turn it off</h2>
      <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="two-step-off-title">
        <label htmlFor="two-step-password">Password</label>
        <input
          id="two-step-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <label htmlFor="two-step-off-code">Code from the app, or a recovery code</label>
        <input
          id="two-step-off-code"
          autoComplete="one-time-code"
          value={otp}
          onChange={(event) => setOtp(event.target.value)}
          aria-describedby={problem ? 'two-step-off-problem' : undefined}
        />
        {problem && (
          <p id="two-step-off-problem" role="alert" className="field-error">
            {problem}
          </p>
        )}
        <button type="submit" className="secondary" disabled={disabling.loading}>
          Turn off two-step verification
        </button>
      </form>
    </>
  );
}
