import { escapeHtml } from './serverPages.js';
import { renderSignInPage, safeNextPath, SIGN_IN_STYLESHEET_PATH, type SignInNotice, signInStylesheet } from './signInPage.js';

/** The value attribute of the input named `name`, still escaped as the page has it. */
function rawValueOf(html: string, name: string): string | undefined {
  const input = html.match(new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`))?.[0];
  return input?.match(/\bvalue="([^"]*)"/)?.[1];
}

/** The opening tag of the notice element. */
function noticeTag(html: string): string | undefined {
  return html.match(/<div[^>]*data-testid="signin-notice"[^>]*>/)?.[0];
}

describe('safeNextPath', () => {
  test.each(['/', '/officer/', '/officer/?lang=en', '/booth/#top', '/a/b%2F%2Fc', '/officer/\\x'])(
    'keeps the same-site path %j',
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  test.each([
    ['a protocol-relative host', '//evil.example'],
    ['a protocol-relative host with a path', '//evil.example/officer/'],
    ['a backslash host', '/\\evil'],
    ['a backslash host with more slashes', '/\\/evil.example'],
    ['an absolute URL', 'https://evil'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,hi'],
    ['a relative path', 'officer/'],
    ['an empty string', ''],
    ['a tab that browsers would drop', '/\t/evil.example'],
    ['a newline', '/officer/\nSet-Cookie: x=1'],
    ['a carriage return', '/officer/\r'],
    ['a NUL', '/officer/\u0000'],
    ['a DEL', '/officer/\u007f'],
    ['a C1 control', '/officer/\u0085'],
    ['a leading space', ' /officer/'],
  ])('replaces %s with /', (_what, path) => {
    expect(safeNextPath(path)).toBe('/');
  });

  test.each([undefined, null, 42, ['/officer/'], { path: '/officer/' }, true])('replaces the non-string %p with /', (value) => {
    expect(safeNextPath(value)).toBe('/');
  });

  test('accepts 512 characters and replaces 513 with /', () => {
    const longest = `/${'a'.repeat(511)}`;
    expect(safeNextPath(longest)).toBe(longest);
    expect(safeNextPath(`${longest}a`)).toBe('/');
  });
});

describe('escapeHtml', () => {
  test('escapes the characters that end text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
});

describe('renderSignInPage', () => {
  test('is an Indonesian document titled "Masuk — Bilik" that links its stylesheet', () => {
    const html = renderSignInPage({ next: '/officer/' });
    expect(html).toMatch(/^<!doctype html>\n<html lang="id">/);
    expect(html).toContain('<title>Masuk — Bilik</title>');
    expect(html).toContain(`<link rel="stylesheet" href="${SIGN_IN_STYLESHEET_PATH}">`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  test('posts the username, password and next to /auth/signin', () => {
    const html = renderSignInPage({ next: '/officer/' });
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/auth\/signin"[^>]*data-testid="signin-form"/);
    expect(html).toMatch(
      /<input(?=[^>]*\bname="username")(?=[^>]*autocomplete="username")(?=[^>]*\bautofocus\b)(?=[^>]*\brequired\b)(?=[^>]*maxlength="64")(?=[^>]*autocapitalize="none")(?=[^>]*spellcheck="false")[^>]*>/,
    );
    expect(html).toMatch(
      /<input(?=[^>]*\bname="password")(?=[^>]*type="password")(?=[^>]*autocomplete="current-password")(?=[^>]*\brequired\b)(?=[^>]*maxlength="256")[^>]*>/,
    );
    expect(html).toMatch(/<input type="hidden" name="next" value="\/officer\/">/);
    expect(html).toMatch(/<button class="signin-submit" type="submit">Masuk <span class="en" lang="en">Sign in<\/span><\/button>/);
  });

  test('ties each label to its input', () => {
    const html = renderSignInPage({ next: '/' });
    for (const name of ['username', 'password']) {
      const id = html.match(new RegExp(`<input[^>]*\\bid="([^"]+)"[^>]*\\bname="${name}"`))?.[1];
      expect(id).toBeDefined();
      expect(html).toContain(`<label class="field-label" for="${id}">`);
    }
    expect(html).toContain('Nama pengguna');
    expect(html).toContain('Kata sandi');
  });

  test('never fills in a password', () => {
    const html = renderSignInPage({ next: '/', username: 'siti' });
    expect(rawValueOf(html, 'password')).toBeUndefined();
    expect(rawValueOf(html, 'username')).toBe('siti');
  });

  test('escapes a hostile username', () => {
    const html = renderSignInPage({ next: '/', username: `"><script>alert('x')</script>&` });
    expect(rawValueOf(html, 'username')).toBe('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;');
    expect(html).not.toContain('<script');
  });

  test('fills in at most 64 characters of the username', () => {
    const html = renderSignInPage({ next: '/', username: 'u'.repeat(100) });
    expect(rawValueOf(html, 'username')).toBe('u'.repeat(64));
  });

  test('replaces a hostile next with / rather than echoing it', () => {
    for (const next of ['"><script>alert(1)</script>', '//evil.example', 'javascript:alert(1)', '/\\evil']) {
      const html = renderSignInPage({ next });
      expect(rawValueOf(html, 'next')).toBe('/');
      expect(html).not.toContain('evil');
      expect(html).not.toContain('<script');
    }
  });

  test('escapes a same-site next that carries markup', () => {
    const html = renderSignInPage({ next: `/officer/?q="><script>x</script>'` });
    expect(rawValueOf(html, 'next')).toBe('/officer/?q=&quot;&gt;&lt;script&gt;x&lt;/script&gt;&#39;');
    expect(html).not.toContain('<script');
  });

  test('shows no notice when there is none', () => {
    expect(renderSignInPage({ next: '/' })).not.toContain('signin-notice');
  });

  const notices: Array<[SignInNotice, 'alert' | 'status', string, string]> = [
    [{ kind: 'invalid' }, 'alert', 'Nama pengguna atau kata sandi salah.', 'Wrong username or password.'],
    [
      { kind: 'locked', minutes: 15 },
      'alert',
      'Terlalu banyak percobaan yang gagal. Akun dikunci selama 15 menit lagi.',
      'The account is locked for 15 more minutes.',
    ],
    [
      { kind: 'rate-limited', seconds: 30 },
      'alert',
      'Terlalu banyak percobaan dari alamat ini. Coba lagi dalam 30 detik.',
      'Try again in 30 seconds.',
    ],
    [{ kind: 'missing' }, 'alert', 'Nama pengguna dan kata sandi wajib diisi.', 'Both the username and the password are required.'],
    [{ kind: 'signed-out' }, 'status', 'Anda telah keluar.', 'You have signed out.'],
    [{ kind: 'expired' }, 'status', 'Sesi Anda telah berakhir. Silakan masuk lagi.', 'Your session has ended. Please sign in again.'],
  ];

  test.each(notices)(
    'the notice %j is a role=%s element with its data-kind, Indonesian then English',
    (notice, role, indonesian, english) => {
      const html = renderSignInPage({ next: '/', notice });
      const tag = noticeTag(html);
      expect(tag).toContain(`role="${role}"`);
      expect(tag).toContain(`data-kind="${notice.kind}"`);
      expect(html).toContain(indonesian);
      expect(html).toContain(english);
      expect(html.indexOf(indonesian)).toBeLessThan(html.indexOf(english));
      // The notice comes before the form, so it is read first.
      expect(html.indexOf('data-testid="signin-notice"')).toBeLessThan(html.indexOf('data-testid="signin-form"'));
    },
  );

  test('an error notice describes both fields; an information notice does not', () => {
    const error = renderSignInPage({ next: '/', notice: { kind: 'invalid' } });
    expect(error.match(/aria-describedby="signin-notice"/g)).toHaveLength(2);
    const info = renderSignInPage({ next: '/', notice: { kind: 'signed-out' } });
    expect(info).not.toContain('aria-describedby');
  });

  test('rounds waits up, says one minute in the singular, and long waits in minutes', () => {
    expect(renderSignInPage({ next: '/', notice: { kind: 'locked', minutes: 0.2 } })).toContain('The account is locked for 1 more minute.');
    expect(renderSignInPage({ next: '/', notice: { kind: 'locked', minutes: 0.2 } })).toContain('dikunci selama 1 menit lagi.');
    expect(renderSignInPage({ next: '/', notice: { kind: 'rate-limited', seconds: 1 } })).toContain('Try again in 1 second.');
    expect(renderSignInPage({ next: '/', notice: { kind: 'rate-limited', seconds: 601 } })).toContain('Coba lagi dalam 11 menit.');
  });

  test('a wait that is not a positive number is not shown as a number', () => {
    const locked = renderSignInPage({ next: '/', notice: { kind: 'locked', minutes: Number.NaN } });
    expect(locked).toContain('Akun dikunci untuk sementara.');
    expect(locked).not.toContain('NaN');
    const limited = renderSignInPage({ next: '/', notice: { kind: 'rate-limited', seconds: Infinity } });
    expect(limited).toContain('Coba lagi nanti.');
    expect(limited).not.toContain('Infinity');
  });

  test.each([undefined, ...notices.map(([notice]) => notice)])('with notice %j the page has no script and no inline style', (notice) => {
    const html = renderSignInPage({ next: '/officer/', username: 'budi', ...(notice ? { notice } : {}) });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });
});

describe('signInStylesheet', () => {
  test('reads the stylesheet beside the module, once', () => {
    const css = signInStylesheet();
    expect(css).toContain('.signin-submit');
    expect(signInStylesheet()).toBe(css);
  });
});
