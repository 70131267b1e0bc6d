/**
 * The human banner `npm start` prints once the server listens: where each page is, where the
 * demo's sign-in file is, and what a newcomer would otherwise find out the hard way. It goes to
 * stderr, apart from the JSON logs on stdout, so a log shipper reading stdout sees only JSON.
 * Passwords are printed once, on the start that created them; later starts name the file.
 */
import net from 'node:net';
import type { DemoSignIn } from './demo/seedDemo.js';

export interface BannerFacts {
  /** The server's own base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** HOST: the address the server listens on. */
  host: string;
  /** PUBLIC_TRACKING_URL, or null when unset. */
  publicTrackingUrl: string | null;
  /** The demo's sign-in file and what this start seeded; null when there is no demo file. */
  demo: { file: string; seededNow: DemoSignIn | null } | null;
}

/** Whether `host` is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

export function startBanner({ url, host, publicTrackingUrl, demo }: BannerFacts): string {
  const lines = [
    'Bilik is running:',
    `  sign in:          ${url}/signin`,
    `  officer console:  ${url}/officer/`,
    `  supervisor page:  ${url}/officer/supervisor/`,
    `  fleet (IT) page:  ${url}/officer/fleet/`,
    `  booth kiosk:      ${url}/booth/`,
    `  claim tracking:   ${publicTrackingUrl ?? `${url}/lacak`}`,
  ];
  if (demo?.seededNow) lines.push('', ...describeNewDemo(url, demo.seededNow, demo.file));
  else if (demo) lines.push('', `Demo: the sign-in passwords and kiosk links are in ${demo.file} (readable by you only).`);
  if (publicTrackingUrl === null && isLoopbackHost(host)) {
    lines.push(
      '',
      `Note: claimants' phones cannot reach ${url}: the tracking QR code at the end of a visit will not`,
      '  open on them. Set PUBLIC_TRACKING_URL to the tracking page as phones reach it (and HOST to serve others).',
    );
  }
  return `\n${lines.join('\n')}\n`;
}

/** The demo seeded by this very start: its passwords and kiosk links, shown this once. */
function describeNewDemo(url: string, demo: DemoSignIn, file: string): string[] {
  return [
    `Demo seeded; shown this once, kept in ${file} (readable by you only; DEMO_SEED=off seeds nothing):`,
    `  sign in at ${url}/signin as`,
    ...demo.accounts.map((account) => `    ${account.role.padEnd(10)} ${account.username.padEnd(12)} ${account.password}`),
    '  booth kiosks (open each once; the kiosk keeps its credential):',
    ...demo.booths.map((booth) => `    ${booth.boothId.padEnd(8)} ${url}/booth/#credential=${booth.credential}`),
  ];
}
