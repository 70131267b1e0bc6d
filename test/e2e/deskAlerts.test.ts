/**
 * What makes a waiting claimant hard to miss on the officer's console, in real Chromium with two
 * kiosks: each held booth's hold timer, amber after HOLD_AMBER_MS and red after HOLD_RED_MS
 * without the officer's word (the page's clock moved forward, see pageClock.ts), gone while the
 * officer talks to it; and a "Panggil Petugas" press, which chimes through WebAudio (its
 * oscillators are counted as they start, with the audio context running), names the calls in
 * the tab's title and pulses the tile until the officer answers.
 */
import type { Page, SerializedAXNode } from 'puppeteer-core';
import { HOLD_AMBER_MS, HOLD_RED_MS } from '../../officer-console/src/desk/holdLevel.js';
import { boothPageUrl, openPage } from '../support/browser.js';
import { pressTalkButton, tileSelector } from '../support/deskPages.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { moveClock, useMovableClock } from '../support/pageClock.js';
import { waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();

/** Counts, in the page, the WebAudio oscillators started and the audio context's state then. */
async function countChimes(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const record = window as unknown as { __oscillatorStarts: string[] };
    record.__oscillatorStarts = [];
    // Where the browser defines start(): read as a property, not a bound method.
    const start = Object.getOwnPropertyDescriptor(AudioScheduledSourceNode.prototype, 'start')!.value as (
      this: AudioScheduledSourceNode,
      when?: number,
    ) => void;
    OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
      record.__oscillatorStarts.push(this.context.state);
      start.call(this, when);
    };
  });
}

function oscillatorStarts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __oscillatorStarts: string[] }).__oscillatorStarts);
}

/**
 * Sends silence from the kiosk's microphone. The console derives each hold's start from the desk
 * state it receives (the server's hold length, on the page's clock): every desk:changed after
 * moveClock puts the start back where the real clock says, and Chromium's beeping fake microphone
 * changes who speaks, and so sends desk:changed, several times a second. Silent kiosks leave the
 * moved clock standing until the tile's next tick has drawn the hold.
 */
async function silentMicrophone(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await open(constraints);
      for (const track of stream.getAudioTracks()) track.enabled = false;
      return stream;
    };
  });
}

/** The kiosks of bilik-1 and bilik-2, opened by the first test and left open for the next. */
const booths = new Map<string, Page>();

const holdTimer = (boothId: string) => `${tileSelector(boothId)} [data-testid="hold-timer"]`;

test('held claimants turn amber then red, and a call chimes, names itself in the title and pulses its tile', async () => {
  const officer = await openPage(e2e.browser, `${e2e.server.url}/officer/`, {
    sessionToken: e2e.desk.officer.token,
    smallCamera: true,
    prepare: async (page) => {
      await useMovableClock(page);
      await countChimes(page);
    },
  });
  for (const boothId of ['bilik-1', 'bilik-2']) {
    const kiosk = await openPage(e2e.browser, boothPageUrl(e2e.server.url, e2e.desk.credentials[boothId]!), {
      smallCamera: true,
      prepare: silentMicrophone,
    });
    booths.set(boothId, kiosk);
    await officer.waitForSelector(`${tileSelector(boothId)}[data-reconnecting="false"]`, { timeout: 30_000 });
  }
  const baseTitle = await officer.title();

  await officer.bringToFront();
  await pressTalkButton(officer, 'bilik-1');
  await officer.waitForSelector(`${tileSelector('bilik-1')}[data-talking="true"]`);
  await officer.waitForSelector(`${holdTimer('bilik-1')}`, { hidden: true });
  await officer.waitForSelector(`${holdTimer('bilik-2')}[data-level="calm"]:not([hidden])`);

  await moveClock(officer, HOLD_AMBER_MS);
  await officer.waitForSelector(`${holdTimer('bilik-2')}[data-level="amber"]`);
  await moveClock(officer, HOLD_RED_MS - HOLD_AMBER_MS);
  await officer.waitForSelector(`${holdTimer('bilik-2')}[data-level="red"]`);
  expect(await officer.$eval(tileSelector('bilik-2'), (tile) => tile.getAttribute('data-hold'))).toBe('red');

  // Talking to bilik-2 ends its wait; bilik-1 waits from now, calm.
  await pressTalkButton(officer, 'bilik-2');
  await officer.waitForSelector(`${holdTimer('bilik-2')}`, { hidden: true });
  await officer.waitForSelector(`${holdTimer('bilik-1')}[data-level="calm"]:not([hidden])`);

  // bilik-1 calls: one chime (two notes) from a running audio context, the title, the pulsing tile.
  expect(await oscillatorStarts(officer)).toEqual([]);
  const booth1 = booths.get('bilik-1')!;
  await booth1.bringToFront();
  await (await booth1.waitForSelector('[data-testid="call-button"]', { visible: true }))!.click();
  await officer.waitForSelector(`${tileSelector('bilik-1')}.is-calling`);
  await waitFor('the chime', async () => (await oscillatorStarts(officer)).length === 2);
  expect(await oscillatorStarts(officer)).toEqual(['running', 'running']);
  expect(await officer.title()).toBe(`🔔 1 bilik memanggil · ${baseTitle}`);
  const pulse = await officer.$eval(tileSelector('bilik-1'), (tile) => getComputedStyle(tile, '::after').animationName);
  expect(pulse).toBe('calling');

  // Answering the call ends it: the title is the console's own again.
  await officer.bringToFront();
  await pressTalkButton(officer, 'bilik-1');
  await officer.waitForSelector(`${tileSelector('bilik-1')}:not(.is-calling)`);
  await waitFor('the title without calls', async () => (await officer.title()) === baseTitle);
  expect(await oscillatorStarts(officer)).toHaveLength(2);
});

/** Every node of the page's accessibility tree, flattened. */
function flatten(node: SerializedAXNode | null): SerializedAXNode[] {
  return node ? [node, ...(node.children ?? []).flatMap(flatten)] : [];
}

test('each tile is a button named by its booth that the keyboard presses, its actions name the booth, and calls and talk are read out', async () => {
  const officer = await openPage(e2e.browser, `${e2e.server.url}/officer/`, { sessionToken: e2e.desk.officer.token, smallCamera: true });
  for (const boothId of ['bilik-1', 'bilik-2']) await officer.waitForSelector(`${tileSelector(boothId)}[data-reconnecting="false"]`);
  const keyOf = (boothId: string) => officer.$eval(`${tileSelector(boothId)} [data-part="key"]`, (key) => key.textContent);

  const nodes = flatten(await officer.accessibility.snapshot());
  const buttons = nodes.filter((node) => node.role === 'button').map((node) => node.name);
  for (const boothId of ['bilik-1', 'bilik-2']) {
    expect(buttons).toEqual(
      expect.arrayContaining([
        `Bilik ${boothId}, bicara (tombol ${await keyOf(boothId)})`,
        `Ambil foto ${boothId}`,
        `Perbesar ${boothId}`,
        `Selesai ${boothId}`,
      ]),
    );
  }

  // The keyboard reaches bilik-2's tile and talks to it; the change is read out.
  await officer.bringToFront();
  await officer.focus(`${tileSelector('bilik-2')} [data-testid="tile-select"]`);
  await officer.keyboard.press('Enter');
  await officer.waitForSelector(`${tileSelector('bilik-2')}[data-talking="true"]`);
  await officer.waitForSelector(`${tileSelector('bilik-2')} [data-testid="tile-select"][aria-pressed="true"]`);
  const announced = () => officer.$eval('[data-testid="desk-announcements"]', (region) => region.textContent);
  await waitFor('the talk to be read out', async () => (await announced()) === 'Berbicara dengan bilik-2.');

  const booth1 = booths.get('bilik-1')!;
  await booth1.bringToFront();
  await (await booth1.waitForSelector('[data-testid="call-button"]', { visible: true }))!.click();
  await waitFor('the call to be read out', async () => (await announced()) === 'bilik-1 memanggil petugas, urutan 1.');
});
