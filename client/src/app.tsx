import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { createApolloSession, type ApolloSession } from './apollo';
import { SignInPage } from './features/auth/sign-in-page';
import { RegisterPage } from './features/auth/register-page';
import { AccessLogPage } from './features/account/access-log-page';
import { AccountPage } from './features/account/account-page';
import { TwoStepPage } from './features/account/two-step-page';
import { LOGOUT } from './features/account/account.graphql';
import { useTokenRenewal } from './features/account/use-token-renewal';
import { BookingPage } from './features/booking/booking-page';
import { DashboardPage } from './features/dashboard/dashboard-page';
import { DevMailLink } from './features/notifications/dev-mail-link';
import { DeskPage } from './features/desk/desk-page';
import { HoursRoute } from './features/availability/hours-route';
import { MembersPage } from './features/members/members-page';
import { AppsPage } from './features/apps/apps-page';
// Its own chunk, with the chart library: the other pages do not download it.
const AnalyticsPage = lazy(() => import('./features/analytics/analytics-page').then((module) => ({ default: module.AnalyticsPage })));
import { disablePush, followNotificationClicks } from './features/notifications/push';
import { navigate, useRoute, type Route } from './router';
import { readSession, writeSession, type Session } from './session';
import { tokenClaims } from './token';

function homeOf(session: Session | null): Route {
  if (!session) return '/signin';
  if (session.mfaPending) return '/security';
  return session.role === 'DOCTOR' ? '/dashboard' : session.role === 'STAFF' ? '/desk' : '/book';
}

/** Each screen's title (the tab, the history, what a screen reader announces on arrival). */
const TITLES: Readonly<Record<Route, string>> = {
  '/signin': 'Sign in',
  '/register': 'Create an account',
  '/dashboard': 'Dashboard',
  '/book': 'Book an appointment',
  '/desk': 'Front desk',
  '/members': 'Members',
  '/account': 'Account',
  '/access-log': 'Who saw my data',
  '/hours': 'Working hours',
  '/security': 'Two-step verification',
  '/apps': 'Apps',
  '/analytics': 'Analytics',
};

const ROLE_NAMES = { DOCTOR: 'Doctor', PATIENT: 'Patient', STAFF: 'Front desk' } as const;
const HOME_NAMES = { DOCTOR: 'Dashboard', PATIENT: 'Book', STAFF: 'Front desk' } as const;

/** Each role's screens (admins, doctors or staff, also the members page); anything else goes to the role's home. */
function routesOf(session: Session | null): readonly Route[] {
  if (!session) return ['/signin', '/register'];
  // An account whose role must use two-step verification, without it: the server refuses the rest.
  if (session.mfaPending) return ['/security'];
  const own: Route[] =
    session.role === 'PATIENT'
      ? ['/book', '/access-log', '/account', '/security']
      : session.role === 'DOCTOR'
        ? [homeOf(session), '/hours', '/account', '/security']
        : [homeOf(session), '/account', '/security'];
  // Admins keep their practice's doctors' hours too. Analytics: the practice's staff and admins, as the API allows.
  if (session.admin) return [...new Set<Route>([...own, '/members', '/hours', '/apps', '/analytics'])];
  return session.role === 'STAFF' ? [...own, '/analytics'] : own;
}

/** Follows a link inside the app without a page load. */
function go(to: Route) {
  return (event: { preventDefault(): void }) => {
    event.preventDefault();
    navigate(to);
  };
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
  // The token of the moment: renewals replace it without replacing the client or its socket.
  const token = useRef(session?.token ?? null);
  token.current = session?.token ?? null;
  // One client and one socket per sign-in (the token's session id): signing in or out drops the
  // previous cache and closes its socket; a renewed token of the same session keeps both.
  // Disposed when replaced rather than in an effect cleanup, which React's StrictMode runs once on
  // mount in development and would leave the app with a stopped client.
  const signIn = session ? (tokenClaims(session.token)?.sessionId ?? session.token) : null;
  const apollo = useMemo(
    () =>
      createApolloSession(
        () => token.current,
        () => signOut('Your session has expired or was ended. Please sign in again.'),
      ),
    [signIn, signOut],
  );
  const renewed = useCallback((next: string) => {
    // At once, not at the next render: a request sent right after (changePassword's refetch) must
    // carry the new token, the previous one may already be refused.
    token.current = next;
    setSession((current) => {
      if (!current) return current;
      const updated = { ...current, token: next };
      writeSession(updated);
      return updated;
    });
  }, []);
  const idledOut = useCallback(() => signOut('You were signed out after a period of inactivity. Please sign in again.'), [signOut]);
  useTokenRenewal(apollo.client, session?.token ?? null, renewed, idledOut);
  // The sign-out button ends the session on the server (its token and sockets die everywhere),
  // then forgets it here; a failed call still signs this tab out.
  const signOutHere = async () => {
    // While the session still works: this browser stops getting the account's pushes.
    await disablePush(apollo.client);
    await apollo.client.mutate({ mutation: LOGOUT }).catch(() => undefined);
    signOut();
  };
  // A clicked notification sends this tab to its page (the service worker posts the word).
  useEffect(() => followNotificationClicks(), []);
  const previous = useRef<ApolloSession | null>(null);
  useEffect(() => {
    if (previous.current && previous.current !== apollo) previous.current.dispose();
    previous.current = apollo;
  }, [apollo]);

  const allowed = routesOf(session);
  const current = route && allowed.includes(route) ? route : null;
  useEffect(() => {
    if (!current) navigate(homeOf(session), { replace: true });
  }, [current, session]);
  // After the pages' own effects (the dashboard adds its unseen count to the same title later).
  useEffect(() => {
    if (current) document.title = `${TITLES[current]} · CareLine`;
  }, [current]);

  // Two-step verification turned on (or off): a held account goes on to its home page.
  const twoStepChanged = (pending: boolean) => {
    if (!session) return;
    const updated = { ...session, mfaPending: pending };
    writeSession(updated);
    setSession(updated);
    if (session.mfaPending && !pending) navigate(homeOf(updated), { replace: true });
  };

  const signedIn = (next: Session) => {
    writeSession(next);
    setNotice(null);
    setSession(next);
    navigate(homeOf(next), { replace: true });
  };

  return (
    <ApolloProvider client={apollo.client}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand" aria-label="CareLine">
          <span className="brand__mark" aria-hidden="true">
            +
          </span>{' '}
          CareLine
        </span>
        {session?.mfaPending && (
          <nav aria-label="Account" className="account">
            <span>
              {session.name} <span className="muted">· {ROLE_NAMES[session.role]}</span>
            </span>
            <button type="button" className="secondary" onClick={() => void signOutHere()}>
              Sign out
            </button>
          </nav>
        )}
        {session && !session.mfaPending && (
          <nav aria-label="Account" className="account">
            <a href={homeOf(session)} className="account__link" onClick={go(homeOf(session))}>
              {HOME_NAMES[session.role]}
            </a>
            {(session.role === 'DOCTOR' || session.admin) && (
              <a href="/hours" className="account__link" onClick={go('/hours')}>
                Working hours
              </a>
            )}
            {session.admin && (
              <a href="/members" className="account__link" onClick={go('/members')}>
                Members
              </a>
            )}
            {session.admin && (
              <a href="/apps" className="account__link" onClick={go('/apps')}>
                Apps
              </a>
            )}
            {(session.admin || session.role === 'STAFF') && (
              <a href="/analytics" className="account__link" onClick={go('/analytics')}>
                Analytics
              </a>
            )}
            {session.role === 'PATIENT' && (
              <a href="/access-log" className="account__link" onClick={go('/access-log')}>
                Who saw my data
              </a>
            )}
            <a href="/account" className="account__link" onClick={go('/account')}>
              Account
            </a>
            <a href="/graphql" className="account__link">
              API playground
            </a>
            <DevMailLink />
            <span>
              {session.name} <span className="muted">· {ROLE_NAMES[session.role]}</span>
            </span>
            <button type="button" className="secondary" onClick={() => void signOutHere()}>
              Sign out
            </button>
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
        {current === '/apps' && <AppsPage />}
        {current === '/analytics' && (
          <Suspense fallback={<p role="status">Loading…</p>}>
            <AnalyticsPage wsClient={apollo.wsClient} token={() => token.current} />
          </Suspense>
        )}
        {current === '/account' && (
          <AccountPage
            onTokenChanged={renewed}
            onSignedOutEverywhere={() => signOut('You were signed out everywhere.')}
            isPatient={session?.role === 'PATIENT'}
            role={session?.role ?? 'PATIENT'}
          />
        )}
        {current === '/access-log' && <AccessLogPage />}
        {current === '/hours' && session && <HoursRoute session={session} />}
        {current === '/security' && session && <TwoStepPage pending={session.mfaPending} onChanged={twoStepChanged} />}
      </main>
    </ApolloProvider>
  );
}
