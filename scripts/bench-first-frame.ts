/**
 * Benchmark: how long people wait to see each other, measured where they wait.
 *   assignment: an officer is ready with free seats; a claimant confirms the kiosk's summary, is
 *     assigned at once, and the call starts. From the confirm press to the first decoded frame of
 *     the officer on the booth page, and of the booth on the officer's console, with the booth
 *     page's steps in between (camera open, peer connections, ICE and DTLS connected).
 *   console open: booths are seated; the officer's console is reloaded. From the reload to the
 *     first decoded booth frame, and to a frame from every seated booth.
 * Real headless Chromium (fake camera and microphone) against the real server on loopback; one
 * browser, so every page reads the same wall clock (performance.timeOrigin + performance.now()).
 *
 * Run: npm run bench:first-frame   (prints Markdown tables for docs/benchmarks.md; ROUNDS=2 and BOOTHS=5 by default)
 */
import type { Browser, Page } from 'puppeteer-core';
import { boothPageUrl, launchBrowser, openConsole, openPage } from '../test/support/browser.js';
import { press, reachSummary } from '../test/support/kioskJourney.js';
import { seedBranch, startTestServer, type SeededDesk, type TestServer } from '../test/support/testServer.js';
import { printSummaryTable } from './benchSummary.js';
import { recordCallSteps, watchNewStreams, type CallSteps } from './decodedFrames.js';

/**
 * Each round starts a fresh server and seats BOOTHS_PER_ROUND claimants one after another at one
 * desk. BOOTHS=1 times only a desk's first claimant: then the kiosk being timed is the only one
 * encoding on this machine, as each real kiosk is on its own.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const BOOTHS_PER_ROUND = Number(process.env.BOOTHS ?? 5);
const WATCH = { pollMs: 5, giveUpMs: 30_000 };

interface AssignmentSample {
  boothSeesOfficer: number;
  officerSeesBooth: number;
  steps: CallSteps;
}

/** One claimant's walk from the summary's confirm to both sides seeing each other. */
async function timeAssignment(
  browser: Browser,
  server: TestServer,
  desk: SeededDesk,
  officer: Page,
  boothId: string,
): Promise<AssignmentSample> {
  // Small cameras: every kiosk of the desk encodes in this one browser, on this machine's 2 cores,
  // where a real kiosk has a machine of its own.
  const booth = await openPage(browser, boothPageUrl(server.url, desk.credentials[boothId]!), {
    prepare: recordCallSteps,
    smallCamera: true,
  });
  // Everything up to the summary, so the press below is the only thing left before assignment.
  await reachSummary(booth, {}, 30_000);
  const officerFrame = await watchNewStreams(officer, { ...WATCH, streams: 1 });
  const boothFrame = await watchNewStreams(booth, { ...WATCH, streams: 1 });
  await press(booth, 'confirm');
  const [[officerSeesAt], [boothSeesAt]] = await Promise.all([officerFrame(), boothFrame()]);
  const steps = await booth.evaluate(() => (window as unknown as { __callSteps: CallSteps }).__callSteps);
  const confirmedAt = steps.confirmedAt!;
  return { boothSeesOfficer: boothSeesAt! - confirmedAt, officerSeesBooth: officerSeesAt! - confirmedAt, steps };
}

/** The console reloaded with `seated` booths at its desk: to the first booth frame, and to one from every booth. */
async function timeConsoleOpen(officer: Page, seated: number): Promise<{ first: number; all: number }> {
  const reloadedAt = await officer.evaluate(() => performance.timeOrigin + performance.now());
  await officer.reload({ waitUntil: 'domcontentloaded' });
  const frames = await (await watchNewStreams(officer, { ...WATCH, streams: seated }))();
  return { first: frames[0]! - reloadedAt, all: frames.at(-1)! - reloadedAt };
}

async function main(): Promise<void> {
  const browser = await launchBrowser();
  const samples: AssignmentSample[] = [];
  const consoleFirst: number[] = [];
  const consoleAll: number[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const server = await startTestServer();
      try {
        const desk = await seedBranch(server, { booths: BOOTHS_PER_ROUND });
        const officer = await openConsole(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token });
        for (let number = 1; number <= BOOTHS_PER_ROUND; number++) {
          const sample = await timeAssignment(browser, server, desk, officer, `bilik-${number}`);
          samples.push(sample);
          process.stderr.write(
            `round ${round}, booth ${number}: booth sees officer ${Math.round(sample.boothSeesOfficer)} ms, officer sees booth ${Math.round(sample.officerSeesBooth)} ms ${JSON.stringify(relativeSteps(sample.steps))}\n`,
          );
        }
        const reload = await timeConsoleOpen(officer, BOOTHS_PER_ROUND);
        consoleFirst.push(reload.first);
        consoleAll.push(reload.all);
        process.stderr.write(
          `round ${round}: console reload → first tile ${Math.round(reload.first)} ms, all ${Math.round(reload.all)} ms\n`,
        );
      } finally {
        for (const page of await browser.pages()) await page.close();
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  const stepSamples = (name: keyof CallSteps): number[] =>
    samples.flatMap(({ steps }) => (steps[name] === undefined ? [] : [steps[name] - steps.confirmedAt!]));
  printSummaryTable('from the claimant confirming, with an officer free', [
    ["booth page: officer's video decoded", samples.map((sample) => sample.boothSeesOfficer)],
    ["officer page: booth's video decoded", samples.map((sample) => sample.officerSeesBooth)],
    ['booth page: first peer connection created', stepSamples('firstConnectionAt')],
    ['booth page: every peer connection connected', stepSamples('connectedAt')],
  ]);
  printSummaryTable(`console reloaded with ${BOOTHS_PER_ROUND} booths seated`, [
    ['first booth video decoded', consoleFirst],
    ['every booth video decoded', consoleAll],
  ]);
}

/** A sample's steps in ms from the confirm press, for the progress lines. */
function relativeSteps(steps: CallSteps): Record<string, number> {
  const relative: Record<string, number> = {};
  for (const [name, at] of Object.entries(steps))
    if (name !== 'confirmedAt' && at !== undefined) relative[name] = Math.round(at - steps.confirmedAt!);
  return relative;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
