// Ten screens do not need a router library: the path is the state, pushState changes it.
import { useSyncExternalStore } from 'react';

export type Route =
  '/signin' | '/register' | '/dashboard' | '/book' | '/desk' | '/members' | '/account' | '/access-log' | '/hours' | '/security' | '/apps';
const ROUTES: readonly Route[] = [
  '/signin',
  '/register',
  '/dashboard',
  '/book',
  '/desk',
  '/members',
  '/account',
  '/access-log',
  '/hours',
  '/security',
  '/apps',
];

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

export function navigate(to: Route, options: { replace?: boolean } = {}): void {
  if (window.location.pathname === to) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
}

/** The current route, or null for a path the app does not know (the app redirects). */
export function useRoute(): Route | null {
  const path = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => window.location.pathname,
  );
  return ROUTES.find((route) => route === path) ?? null;
}
