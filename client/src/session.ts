/** Who is signed in in this browser tab: the bearer token and what the UI needs to route. */
export interface Session {
  readonly token: string;
  readonly userId: string;
  readonly role: 'DOCTOR' | 'PATIENT' | 'STAFF';
  readonly name: string;
  /** An admin of their practice: the members page is theirs too. */
  readonly admin: boolean;
  /** Their role must use two-step verification and it is not set up yet: only that page is open to them. */
  readonly mfaPending: boolean;
}

// sessionStorage, not localStorage: a shared clinic computer forgets the login with the tab, and
// two tabs can hold a doctor and a patient side by side.
const KEY = 'careline.session';

export function readSession(): Session | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (
      typeof parsed.token !== 'string' ||
      typeof parsed.userId !== 'string' ||
      (parsed.role !== 'DOCTOR' && parsed.role !== 'PATIENT' && parsed.role !== 'STAFF')
    ) {
      return null;
    }
    return {
      token: parsed.token,
      userId: parsed.userId,
      role: parsed.role,
      name: String(parsed.name ?? ''),
      admin: parsed.admin === true,
      mfaPending: parsed.mfaPending === true,
    };
  } catch {
    return null; // storage disabled or corrupted: start signed out
  }
}

export function writeSession(session: Session | null): void {
  try {
    if (session) window.sessionStorage.setItem(KEY, JSON.stringify(session));
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: the session lives until reload
  }
}
