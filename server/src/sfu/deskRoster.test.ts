import { DeskRoster } from './deskRoster.js';

function rosterWithClock(capacity = 6): { roster: DeskRoster; advance: (ms: number) => void } {
  let now = 1_000_000;
  const roster = new DeskRoster(capacity, () => now);
  return { roster, advance: (ms) => (now += ms) };
}

describe('DeskRoster', () => {
  test('the first booth of an idle officer is talked to; later booths wait on hold', () => {
    const { roster, advance } = rosterWithClock();
    roster.setOfficerPresent(true);
    roster.linkBooth('bilik-1');
    roster.linkBooth('bilik-2');
    advance(5_000);
    expect(roster.boothState('bilik-1')).toEqual({
      officerPresent: true,
      officerReconnecting: false,
      talking: true,
      heldForMs: null,
      attentionPlace: null,
      officerName: null,
      cannotHear: false,
    });
    expect(roster.boothState('bilik-2')).toEqual({
      officerPresent: true,
      officerReconnecting: false,
      talking: false,
      heldForMs: 5_000,
      attentionPlace: null,
      officerName: null,
      cannotHear: false,
    });
  });

  test('switching talk puts the previous booth on hold from that moment', () => {
    const { roster, advance } = rosterWithClock();
    roster.setOfficerPresent(true);
    roster.linkBooth('bilik-1');
    roster.linkBooth('bilik-2');
    advance(10_000);
    roster.selectTalk('bilik-2');
    advance(3_000);
    expect(roster.boothState('bilik-1').heldForMs).toBe(3_000);
    expect(roster.boothState('bilik-2')).toMatchObject({ talking: true, heldForMs: null });
  });

  test('calls are ordered, and answering a call removes it and moves the others up', () => {
    const { roster } = rosterWithClock();
    for (const id of ['bilik-1', 'bilik-2', 'bilik-3']) roster.linkBooth(id);
    expect(roster.call('bilik-3')).toBe(1);
    expect(roster.call('bilik-1')).toBe(2);
    expect(roster.call('bilik-3')).toBe(1); // calling again keeps the place
    roster.selectTalk('bilik-3');
    expect(roster.deskState().booths.map((booth) => booth.attentionPlace)).toEqual([1, null, null]);
  });

  test('a booth the officer was talking to leaves: talk goes to nobody rather than to another booth', () => {
    const { roster } = rosterWithClock();
    roster.setOfficerPresent(true);
    roster.linkBooth('bilik-1');
    roster.linkBooth('bilik-2');
    roster.removeBooth('bilik-1');
    expect(roster.talkingToBoothId).toBeNull();
    expect(roster.boothState('bilik-2')).toMatchObject({ talking: false });
  });

  test('capacity is enforced, and booths outside the desk cannot be selected, focused or called', () => {
    const { roster } = rosterWithClock(4);
    for (const id of ['a', 'b', 'c', 'd']) roster.linkBooth(id);
    expect(() => roster.linkBooth('e')).toThrow(/full \(4 booths\)/);
    expect(() => roster.selectTalk('e')).toThrow(/not at your desk/);
    expect(() => roster.focus('e')).toThrow(/not at your desk/);
    expect(() => roster.call('e')).toThrow(/not at your desk/);
  });

  test('without the officer no booth is on hold, and voice activity is reported once per change', () => {
    const { roster } = rosterWithClock();
    roster.linkBooth('bilik-1');
    expect(roster.boothState('bilik-1')).toMatchObject({ officerPresent: false, heldForMs: null });
    expect(roster.setSpeaking(new Set(['bilik-1', 'stranger']))).toBe(true);
    expect(roster.setSpeaking(new Set(['bilik-1']))).toBe(false);
    expect(roster.deskState().booths[0]).toMatchObject({ boothId: 'bilik-1', speaking: true });
  });

  test("a booth's reported recovery shows on the officer's tile until it reports its path back or leaves", () => {
    const { roster } = rosterWithClock();
    roster.linkBooth('bilik-1');
    expect(roster.deskState().booths[0]).toMatchObject({ reconnecting: false });
    expect(roster.setReconnecting('bilik-1', true)).toBe(true);
    expect(roster.setReconnecting('bilik-1', true)).toBe(false);
    expect(roster.deskState().booths[0]).toMatchObject({ reconnecting: true });
    expect(roster.setReconnecting('bilik-1', false)).toBe(true);
    expect(roster.deskState().booths[0]).toMatchObject({ reconnecting: false });
    roster.setReconnecting('bilik-1', true);
    roster.removeBooth('bilik-1');
    roster.linkBooth('bilik-1');
    expect(roster.deskState().booths[0]).toMatchObject({ reconnecting: false });
    expect(() => roster.setReconnecting('stranger', true)).toThrow(/not at your desk/);
  });

  test('a booth whose link drops keeps its seat, call and talk, and shows as reconnecting until it is back', () => {
    const { roster } = rosterWithClock();
    roster.setOfficerPresent(true);
    for (const id of ['bilik-1', 'bilik-2', 'bilik-3']) roster.linkBooth(id);
    roster.call('bilik-2');
    roster.selectTalk('bilik-3');
    roster.call('bilik-1');
    roster.unlinkBooth('bilik-3');
    expect(roster.deskState().booths.map(({ boothId, seat, reconnecting }) => ({ boothId, seat, reconnecting }))).toEqual([
      { boothId: 'bilik-1', seat: 1, reconnecting: false },
      { boothId: 'bilik-2', seat: 2, reconnecting: false },
      { boothId: 'bilik-3', seat: 3, reconnecting: true },
    ]);
    roster.linkBooth('bilik-3');
    expect(roster.deskState()).toMatchObject({
      talkingToBoothId: 'bilik-3',
      booths: [{ attentionPlace: 2 }, { attentionPlace: 1 }, { seat: 3, reconnecting: false }],
    });
  });

  test('a freed seat goes to the next booth, and the others keep theirs', () => {
    const { roster } = rosterWithClock();
    for (const id of ['bilik-1', 'bilik-2', 'bilik-3']) roster.linkBooth(id);
    roster.removeBooth('bilik-1');
    roster.linkBooth('bilik-4');
    expect(roster.deskState().booths.map(({ boothId, seat }) => [seat, boothId])).toEqual([
      [1, 'bilik-4'],
      [2, 'bilik-2'],
      [3, 'bilik-3'],
    ]);
  });

  test('each claimant waits from when the officer last talked to them, and not while talked to', () => {
    const { roster, advance } = rosterWithClock();
    roster.linkBooth('bilik-1');
    roster.linkBooth('bilik-2');
    advance(4_000);
    expect(roster.deskState().booths.map((booth) => booth.waitingMs)).toEqual([null, 4_000]);
    roster.selectTalk('bilik-2');
    advance(1_000);
    expect(roster.deskState().booths.map((booth) => booth.waitingMs)).toEqual([1_000, null]);
    // The officer away or talking to nobody: the claimants still wait.
    roster.selectTalk(null);
    advance(500);
    expect(roster.deskState().booths.map((booth) => booth.waitingMs)).toEqual([1_500, 500]);
  });

  test('a desk restored from its snapshot has the seats, talk, calls and waits, its booths reconnecting', () => {
    const { roster, advance } = rosterWithClock();
    for (const id of ['bilik-1', 'bilik-2', 'bilik-3']) roster.linkBooth(id);
    roster.removeBooth('bilik-1');
    roster.selectTalk('bilik-3');
    roster.call('bilik-2');
    advance(2_000);
    const restored = new DeskRoster(6, () => 1_000_000 + 2_000, roster.snapshot());
    expect(restored.deskState()).toEqual({
      ...roster.deskState(),
      booths: roster.deskState().booths.map((booth) => ({ ...booth, reconnecting: true })),
    });
    expect(restored.deskState()).toMatchObject({
      talkingToBoothId: 'bilik-3',
      booths: [{ seat: 2, attentionPlace: 1, waitingMs: 2_000 }, { seat: 3 }],
    });
    restored.linkBooth('bilik-4');
    expect(restored.boothIds).toEqual(['bilik-4', 'bilik-2', 'bilik-3']);
  });

  test('"cannot hear" is kept in the snapshot while it shows, and dropped with the seat of a booth whose session ended', () => {
    const { roster } = rosterWithClock();
    roster.setOfficerPresent(true);
    for (const id of ['bilik-1', 'bilik-2', 'bilik-3']) roster.linkBooth(id);
    roster.reportCannotHear('bilik-2');
    roster.reportCannotHear('bilik-3');
    const restored = new DeskRoster(6, () => 1_000_000, { ...roster.snapshot(), booths: roster.snapshot().booths.slice(0, 2) });
    expect(restored.deskState().booths.map(({ boothId, cannotHear }) => [boothId, cannotHear])).toEqual([
      ['bilik-1', false],
      ['bilik-2', true],
    ]);
    expect(restored.boothState('bilik-2').cannotHear).toBe(true);
    // Answered or dismissed, it is not restored again.
    roster.selectTalk('bilik-2');
    roster.dismissCannotHear('bilik-3');
    expect(roster.snapshot().cannotHear).toEqual([]);
  });

  test("the officer's reported recovery shows on every booth while the officer is present, and a returning officer starts afresh", () => {
    const { roster } = rosterWithClock();
    roster.linkBooth('bilik-1');
    expect(roster.setOfficerReconnecting(true)).toBe(false);
    roster.setOfficerPresent(true);
    expect(roster.boothState('bilik-1')).toMatchObject({ officerReconnecting: false });
    expect(roster.setOfficerReconnecting(true)).toBe(true);
    expect(roster.setOfficerReconnecting(true)).toBe(false);
    expect(roster.boothState('bilik-1')).toMatchObject({ officerPresent: true, officerReconnecting: true });
    roster.setOfficerPresent(false);
    roster.setOfficerPresent(true);
    expect(roster.boothState('bilik-1')).toMatchObject({ officerReconnecting: false });
  });

  test("booths show the present officer's display name, and no name while the officer is away", () => {
    const { roster } = rosterWithClock();
    roster.linkBooth('bilik-1');
    expect(roster.boothState('bilik-1').officerName).toBeNull();
    roster.setOfficerPresent(true, 'Petugas Rina');
    expect(roster.boothState('bilik-1').officerName).toBe('Petugas Rina');
    roster.setOfficerPresent(false);
    expect(roster.boothState('bilik-1').officerName).toBeNull();
  });

  test('"cannot hear" shows on its own tile and booth only, once however often pressed, until talked to', () => {
    const { roster } = rosterWithClock();
    roster.setOfficerPresent(true);
    roster.linkBooth('bilik-1');
    roster.linkBooth('bilik-2');
    expect(roster.reportCannotHear('bilik-2')).toBe(true);
    expect(roster.reportCannotHear('bilik-2')).toBe(false);
    expect(roster.deskState().booths.map((booth) => booth.cannotHear)).toEqual([false, true]);
    expect(roster.boothState('bilik-1').cannotHear).toBe(false);
    expect(roster.boothState('bilik-2').cannotHear).toBe(true);
    roster.selectTalk('bilik-2');
    expect(roster.boothState('bilik-2').cannotHear).toBe(false);
  });

  test('the officer dismissing "cannot hear" clears it without moving talk; a booth not at the desk is refused', () => {
    const { roster } = rosterWithClock();
    roster.setOfficerPresent(true);
    roster.linkBooth('bilik-1');
    roster.linkBooth('bilik-2');
    roster.reportCannotHear('bilik-2');
    expect(roster.dismissCannotHear('bilik-2')).toBe(true);
    expect(roster.dismissCannotHear('bilik-2')).toBe(false);
    expect(roster.talkingToBoothId).toBe('bilik-1');
    expect(roster.deskState().booths.every((booth) => !booth.cannotHear)).toBe(true);
    expect(() => roster.reportCannotHear('bilik-9')).toThrow(/not at your desk/);
    expect(() => roster.dismissCannotHear('bilik-9')).toThrow(/not at your desk/);
  });

  test('a freed seat drops its "cannot hear"', () => {
    const { roster } = rosterWithClock();
    roster.linkBooth('bilik-1');
    roster.reportCannotHear('bilik-1');
    roster.removeBooth('bilik-1');
    roster.linkBooth('bilik-1');
    expect(roster.boothState('bilik-1').cannotHear).toBe(false);
  });
});
