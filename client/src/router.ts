// A dozen screens do not need a router library: the path is the state, pushState changes it.
import { useSyncExternalStore } from 'react';

export type Route =
  | '/signin'
  | '/register'
  | '/dashboard'
  | '/book'
  | '/desk'
  | '/members'
  | '/account'
  | '/access-log'
  | '/hours'
  | '/security'
  | '/apps'
  | '/analytics';
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
  '/analytics',
];

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

export function navigate(to: Route, options: { replace?: boolean } = {}): void {
  if (window.location.pathname === to) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
}

/**
 * Goes to a path of this origin that may carry a query (`/desk?appointment=<id>`: a notification's
 * page); anything else is ignored.
 */
export function navigateToUrl(url: string): void {
  const target = new URL(url, window.location.origin);
  if (target.origin !== window.location.origin) return;
  const next = `${target.pathname}${target.search}`;
  if (`${window.location.pathname}${window.location.search}` === next) return;
  window.history.pushState(null, '', next);
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
