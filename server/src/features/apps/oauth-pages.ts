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
}

/**
 * The sign-in and consent page of an app's authorization request: one form, so each app's
 * authorization is a real sign-in (throttled, MFA, audited) and a consent to named scopes. Plain
 * HTML with labels, a main heading and an error summary announced to screen readers; it works
 * without JavaScript and from the keyboard.
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
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Allow ${app} to use your CareLine account?</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;padding:.5rem;font-size:1rem;border:1px solid #555;border-radius:4px;box-sizing:border-box}
input:focus,button:focus{outline:3px solid #1d4ed8;outline-offset:2px}
.buttons{display:flex;gap:1rem;margin-top:1.5rem}
button{padding:.6rem 1.2rem;font-size:1rem;border-radius:4px;border:1px solid #1d4ed8;cursor:pointer}
button[value=allow]{background:#1d4ed8;color:#fff}
button[value=deny]{background:#fff;color:#1d4ed8}
.error{border:2px solid #b91c1c;padding:0 1rem;color:#7f1d1d;background:#fef2f2}
code{font-size:.85em;color:#444}
</style>
</head>
<body>
<main>
<h1>Allow ${app} to use your CareLine account?</h1>
<p><strong>${app}</strong> is an app registered by <strong>${practice}</strong>. If you allow it, it can:</p>
<ul>${scopes}</ul>
<p>It never sees your password. You can revoke it at any time from your account.</p>
${error}
<form method="post" action="/oauth/interaction/${escapeHtml(page.uid)}">
<h2>Sign in to decide</h2>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(page.email ?? '')}"${described}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password"${described}>
<label for="otp">Code from your authenticator app${page.otpRequired ? '' : ' (if you use two-step verification)'}</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code"${page.otpRequired ? ' required' : ''}>
<div class="buttons">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</div>
</form>
</main>
</body>
</html>`;
}

/**
 * The provider's error page (an authorization request it cannot send back to the app: an unknown
 * client, a redirect URI that is not registered). Names the OAuth error; never redirects.
 */
export function renderErrorPage(error: string, description: string | undefined): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>This app's request cannot be completed</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}code{color:#444}</style>
</head>
<body>
<main>
<h1>This app's request cannot be completed</h1>
<p role="alert">${escapeHtml(description ?? 'The request was not valid.')} <code>${escapeHtml(error)}</code></p>
<p>Nothing was shared with the app. Close this page and tell the app's maker, or the practice that registered it.</p>
</main>
</body>
</html>`;
}
