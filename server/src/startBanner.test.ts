import { isLoopbackHost, startBanner } from './startBanner.js';

const demo = {
  accounts: [{ username: 'petugas-1', password: 'secret-password-1', role: 'officer' as const }],
  booths: [{ boothId: 'bilik-1', credential: 'booth-credential-1' }],
};
const base = { url: 'http://127.0.0.1:8080', host: '127.0.0.1', publicTrackingUrl: 'https://lacak.example.id/lacak', demo: null };

test('names every page, with the public tracking page when one is set', () => {
  const banner = startBanner(base);
  for (const page of ['/signin', '/officer/', '/officer/supervisor/', '/officer/fleet/', '/booth/'])
    expect(banner).toContain(`http://127.0.0.1:8080${page}`);
  expect(banner).toContain('claim tracking:   https://lacak.example.id/lacak');
  expect(banner).not.toContain('Note:');
});

test('prints the demo passwords and kiosk links only on the start that seeded them; later it names the file', () => {
  const file = '/srv/bilik/data/demo-sign-in.json';
  const first = startBanner({ ...base, demo: { file, seededNow: demo } });
  expect(first).toContain('secret-password-1');
  expect(first).toContain('http://127.0.0.1:8080/booth/#credential=booth-credential-1');
  const later = startBanner({ ...base, demo: { file, seededNow: null } });
  expect(later).toContain(file);
  expect(later).not.toContain('secret-password-1');
  expect(later).not.toContain('booth-credential-1');
});

test("warns that phones cannot reach the tracking QR code when it would point at this machine's loopback", () => {
  expect(startBanner({ ...base, publicTrackingUrl: null })).toContain('Set PUBLIC_TRACKING_URL');
  expect(startBanner({ ...base, host: '0.0.0.0', publicTrackingUrl: null })).not.toContain('Set PUBLIC_TRACKING_URL');
});

test.each([
  ['127.0.0.1', true],
  ['127.1.2.3', true],
  ['localhost', true],
  ['::1', true],
  ['0.0.0.0', false],
  ['10.0.0.5', false],
  ['::', false],
  ['bilik.example.id', false],
])('%s is loopback: %s', (host, loopback) => {
  expect(isLoopbackHost(host)).toBe(loopback);
});
