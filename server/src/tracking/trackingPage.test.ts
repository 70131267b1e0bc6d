import { renderTrackingPage, trackingPageLink } from './trackingPage.js';

describe('trackingPageLink', () => {
  test('without PUBLIC_TRACKING_URL the link is this server’s own page, as a path', () => {
    expect(trackingPageLink(null, '3CKA7MPQXT')).toBe('/lacak?kode=3CKA7MPQXT');
  });

  test('a configured page gets the code as its kode parameter, keeping its own', () => {
    expect(trackingPageLink('https://bilik.example.go.id/lacak', '3CKA7MPQXT')).toBe('https://bilik.example.go.id/lacak?kode=3CKA7MPQXT');
    expect(trackingPageLink('https://example.go.id/klaim?lang=id', '3CKA7MPQXT')).toBe(
      'https://example.go.id/klaim?lang=id&kode=3CKA7MPQXT',
    );
  });
});

describe('renderTrackingPage', () => {
  test('what was typed comes back escaped', () => {
    const html = renderTrackingPage({ kind: 'malformed', typed: '"><script>alert(1)</script>' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  test('a status reads in both languages with its day written out', () => {
    const html = renderTrackingPage({ kind: 'status', code: '3CKA7MPQXT', view: { status: 'escalated', since: '2025-01-05' } });
    expect(html).toContain('Diteruskan ke supervisor');
    expect(html).toContain('Referred to a supervisor');
    expect(html).toContain('5 Januari 2025');
    expect(html).toContain('5 January 2025');
    expect(html).toContain('3CKA7-MPQXT');
  });

  test('a rate-limited look-up says when to come back, in minutes once it is long', () => {
    expect(renderTrackingPage({ kind: 'rate-limited', seconds: 45 })).toContain('45 detik');
    expect(renderTrackingPage({ kind: 'rate-limited', seconds: 540 })).toContain('9 menit');
  });
});
