/**
 * Whether this kiosk has a receipt printer. Branch IT says so in the kiosk's address
 * (`/booth/?printer=1`), where they also start its Chromium with `--kiosk-printing`, which sends
 * `window.print()` to the default printer without a dialog. A kiosk without one offers no print:
 * a button that prints nothing would leave a claimant waiting for paper.
 */
export function hasReceiptPrinter(search: string): boolean {
  return new URLSearchParams(search).get('printer') === '1';
}
