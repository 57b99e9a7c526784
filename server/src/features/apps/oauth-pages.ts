import { APP_SCOPES, isAppScope } from '../../accounts/app-scopes';

/** HTML text: every value that reaches a page goes through this. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** What the sign-in and consent page shows. */
export interface ConsentPage {
  readonly uid: string;
  readonly appName: string;
  readonly practiceName: string;
  readonly scopes: readonly string[];
  /** The last attempt's refusal, said in words (wrong password, code needed, too many tries). */
  readonly error?: string;
  /** The account has MFA: the code field is required. */
  readonly otpRequired?: boolean;
  readonly email?: string;
  /** The dashboard's stylesheet (its built path under /assets), so the page looks like the dashboard. */
  readonly stylesheet?: string;
}

/**
 * What the page needs beyond the dashboard's stylesheet (its layout), and the dashboard's colours
 * and focus ring when the stylesheet is not there (a server without the built client).
 */
const PAGE_STYLE = `
:root{--bg:#f4f7f8;--panel:#fff;--text:#13262b;--muted:#56686d;--line:#d7e0e2;--accent:#0b6e6e;--accent-strong:#08514f;--accent-soft:#e2f3f1;--danger:#b3261e;--focus:#1a56db;--field-border:#6f8388;--header-bg:#08514f;--on-accent:#fff;font-family:system-ui,sans-serif;color:var(--text);background:var(--bg);line-height:1.45}
body{margin:0}
.consent{max-width:34rem;margin:1.5rem auto;padding:0 1rem}
.consent .panel{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem}
.consent label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.consent input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem .6rem;border:1px solid var(--field-border);border-radius:6px;min-height:2.5rem}
.consent button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--on-accent);padding:.55rem 1rem;min-height:2.5rem}
.consent button.secondary{background:var(--panel);color:var(--accent-strong)}
.consent .buttons{display:flex;gap:1rem;margin-top:1.25rem}
.consent .scopes code{font-size:.85em;color:var(--muted)}
.consent .error{color:var(--danger);border:2px solid var(--danger);border-radius:8px;padding:0 1rem;margin-top:1rem}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.app-header{display:flex;align-items:center;gap:1rem;padding:.75rem 1.25rem;background:var(--header-bg);color:#fff}
.brand{font-weight:700;font-size:1.15rem}
`;

/** The head and the dashboard's header bar, shared by both pages. */
function pageStart(title: string, stylesheet: string | undefined): string {
  const link = stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">\n` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${link}<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="app-header"><span class="brand"><span class="brand__mark" aria-hidden="true">+</span> CareLine</span></header>`;
}

/**
 * The sign-in and consent page of an app's authorization request: one form, so each app's
 * authorization is a real sign-in (throttled, MFA, audited) and a consent to named scopes. It wears
 * the dashboard's stylesheet and header (its labels, buttons, focus ring, dark mode); plain HTML
 * with labels, a main heading and an error summary announced to screen readers; it works without
 * JavaScript and from the keyboard.
 */
export function renderConsentPage(page: ConsentPage): string {
  const app = escapeHtml(page.appName);
  const practice = escapeHtml(page.practiceName);
  const scopes = page.scopes
    .filter(isAppScope)
    .map((scope) => `<li>${escapeHtml(APP_SCOPES[scope])} <code>${escapeHtml(scope)}</code></li>`)
    .join('');
  const error = page.error ? `<div role="alert" class="error" id="error"><p>${escapeHtml(page.error)}</p></div>` : '';
  const described = page.error ? ' aria-describedby="error"' : '';
  return `${pageStart(`Allow ${app} to use your CareLine account?`, page.stylesheet)}
<main id="main" class="consent">
<section class="panel" aria-labelledby="consent-title">
<h1 id="consent-title">Allow ${app} to use your CareLine account?</h1>
<p><strong>${app}</strong> is an app registered by <strong>${practice}</strong>. If you allow it, it can:</p>
<ul class="scopes">${scopes}</ul>
<p class="muted">It never sees your password. You can revoke it at any time from your account page (Connected apps).</p>
${error}
<form method="post" action="/oauth/interaction/${escapeHtml(page.uid)}" aria-labelledby="sign-in-title">
<h2 id="sign-in-title">Sign in to decide</h2>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(page.email ?? '')}"${described}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password"${described}>
<label for="otp">Code from your authenticator app${page.otpRequired ? '' : ' (if you use two-step verification)'}</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code"${page.otpRequired ? ' required' : ''}>
<div class="buttons">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Deny</button>
</div>
</form>
</section>
</main>
</body>
</html>`;
}

/**
 * The provider's error page (an authorization request it cannot send back to the app: an unknown
 * client, a redirect URI that is not registered). Names the OAuth error; never redirects.
 */
export function renderErrorPage(error: string, description: string | undefined, stylesheet?: string): string {
  return `${pageStart("This app's request cannot be completed", stylesheet)}
<main id="main" class="consent">
<section class="panel">
<h1>This app's request cannot be completed</h1>
<p role="alert">${escapeHtml(description ?? 'The request was not valid.')} <code>${escapeHtml(error)}</code></p>
<p>Nothing was shared with the app. Close this page and tell the app's maker, or the practice that registered it.</p>
</section>
</main>
</body>
</html>`;
}
