import { renderConsentPage, renderErrorPage } from './oauth-pages';

describe('the sign-in and consent page', () => {
  const page = {
    uid: 'u1',
    appName: '<script>alert(1)</script>',
    practiceName: 'Clinic "A" & Co',
    scopes: ['openid', 'patient/Appointment.rs', 'nonsense'],
  };

  it('escapes what apps and practices chose as names', () => {
    const html = renderConsentPage(page);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('Clinic &#34;A&#34; &#38; Co');
  });

  it('labels every field, says each known scope in words, and drops unknown ones', () => {
    const html = renderConsentPage(page);
    for (const id of ['email', 'password', 'otp']) expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('See your appointments');
    expect(html).not.toContain('nonsense');
    expect(html).toContain('<html lang="en">');
  });

  it('announces a refusal and ties it to the fields', () => {
    const html = renderConsentPage({ ...page, error: 'Email or password is incorrect.' });
    expect(html).toContain('<div role="alert" class="error" id="error">');
    expect(html).toContain('aria-describedby="error"');
  });

  it('names the OAuth error on the error page, escaped', () => {
    expect(renderErrorPage('invalid_client', '<b>no</b>')).toContain('&#60;b&#62;no&#60;/b&#62; <code>invalid_client</code>');
  });
});
