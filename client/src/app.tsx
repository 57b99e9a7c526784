import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { createApolloSession, type ApolloSession } from './apollo';
import { SignInPage } from './features/auth/sign-in-page';
import { RegisterPage } from './features/auth/register-page';
import { BookingPage } from './features/booking/booking-page';
import { DashboardPage } from './features/dashboard/dashboard-page';
import { DeskPage } from './features/desk/desk-page';
import { MembersPage } from './features/members/members-page';
import { navigate, useRoute, type Route } from './router';
import { readSession, writeSession, type Session } from './session';

function homeOf(session: Session | null): Route {
  if (!session) return '/signin';
  return session.role === 'DOCTOR' ? '/dashboard' : session.role === 'STAFF' ? '/desk' : '/book';
}

const ROLE_NAMES = { DOCTOR: 'Doctor', PATIENT: 'Patient', STAFF: 'Front desk' } as const;

/** Each role has its screens; admins (a doctor or staff member) also the members page. */
function routesOf(session: Session | null): readonly Route[] {
  if (!session) return ['/signin', '/register'];
  const own: Route = homeOf(session);
  return session.admin ? [own, '/members'] : [own];
}

export function App() {
  const [session, setSession] = useState<Session | null>(readSession);
  const [notice, setNotice] = useState<string | null>(null);
  const route = useRoute();

  const signOut = useCallback((message: string | null = null) => {
    writeSession(null);
    setSession(null);
    setNotice(message);
    navigate('/signin', { replace: true });
  }, []);
  // One client and one socket per signed-in token: signing in or out drops the previous cache and
  // closes its socket. Disposed when replaced rather than in an effect cleanup, which React's
  // StrictMode runs once on mount in development and would leave the app with a stopped client.
  const apollo = useMemo(
    () => createApolloSession(session?.token ?? null, () => signOut('Your session has expired. Please sign in again.')),
    [session?.token, signOut],
  );
  const previous = useRef<ApolloSession | null>(null);
  useEffect(() => {
    if (previous.current && previous.current !== apollo) previous.current.dispose();
    previous.current = apollo;
  }, [apollo]);

  // Each role has its screens; anything else goes to the role's home.
  const allowed = routesOf(session);
  const current = route && allowed.includes(route) ? route : null;
  useEffect(() => {
    if (!current) navigate(homeOf(session), { replace: true });
  }, [current, session]);

  const signedIn = (next: Session) => {
    writeSession(next);
    setNotice(null);
    setSession(next);
    navigate(homeOf(next), { replace: true });
  };

  return (
    <ApolloProvider client={apollo.client}>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="app-header">
        <span className="brand" aria-label="CareLine">
          <span className="brand__mark" aria-hidden="true">+</span> CareLine
        </span>
        {session && (
          <nav aria-label="Account" className="account">
            {session.admin && (
              <>
                <a href={homeOf(session)} className="account__link" onClick={(e) => { e.preventDefault(); navigate(homeOf(session)); }}>
                  {session.role === 'STAFF' ? 'Front desk' : 'Dashboard'}
                </a>
                <a href="/members" className="account__link" onClick={(e) => { e.preventDefault(); navigate('/members'); }}>Members</a>
              </>
            )}
            <a href="/graphql" className="account__link">API playground</a>
            <span>
              {session.name} <span className="muted">· {ROLE_NAMES[session.role]}</span>
            </span>
            <button type="button" className="secondary" onClick={() => signOut()}>Sign out</button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {current === '/signin' && <SignInPage onSignedIn={signedIn} notice={notice} />}
        {current === '/register' && <RegisterPage onSignedIn={signedIn} />}
        {current === '/dashboard' && session && <DashboardPage session={session} wsClient={apollo.wsClient} />}
        {current === '/book' && <BookingPage wsClient={apollo.wsClient} />}
        {current === '/desk' && <DeskPage wsClient={apollo.wsClient} />}
        {current === '/members' && <MembersPage />}
      </main>
    </ApolloProvider>
  );
}
