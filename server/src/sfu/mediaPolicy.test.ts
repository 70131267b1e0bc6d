import {
  consumerKey,
  deriveConsumers,
  deriveSendLayers,
  PRIORITY_FOCUSED,
  PRIORITY_NORMAL,
  SPATIAL_LAYER_FULL,
  SPATIAL_LAYER_TILE,
  type ConsumerSpec,
  type DeskMediaState,
  type PolicyMonitor,
  type PolicyParticipant,
} from './mediaPolicy.js';

function sender(id: string, receiving = true): PolicyParticipant {
  return { id, producers: { audio: `${id}-audio`, video: `${id}-video` }, receiving };
}

function deskOf(boothCount: number, talkingToBoothId: string | null): DeskMediaState {
  const booths = Array.from({ length: boothCount }, (_, index) => sender(`booth-${index + 1}`));
  return { officer: sender('officer'), booths, monitors: [], talkingToBoothId, focusedBoothId: null, maxBoothLayer: SPATIAL_LAYER_FULL };
}

function monitorOf(boothId: string, barging: boolean, id = 'penyelia', receiving = true): PolicyMonitor {
  return { ...sender(id, receiving), boothId, barging };
}

describe('deriveConsumers', () => {
  for (let boothCount = 1; boothCount <= 6; boothCount++) {
    for (let talking = 0; talking <= boothCount; talking++) {
      const talkingTo = talking === 0 ? null : `booth-${talking}`;
      test(`a desk of ${boothCount} booths talking to ${talkingTo ?? 'nobody'} gives each side exactly its media`, () => {
        const specs = deriveConsumers(deskOf(boothCount, talkingTo));
        expect(specs).toHaveLength(boothCount * 4);
        for (const spec of specs) {
          // Invariant 1: a booth receives only the officer.
          if (spec.receiver.role === 'booth') expect(spec.source).toEqual({ role: 'officer', id: 'officer' });
          // Invariant 2: the officer receives only booths of the desk.
          if (spec.receiver.role === 'officer') expect(spec.source.role).toBe('booth');
          const involvesTalkingBooth = spec.receiver.id === talkingTo || spec.source.id === talkingTo;
          // Invariant 3: audio flows only between the officer and the selected booth; video always flows.
          expect(spec.paused).toBe(spec.kind === 'audio' && !involvesTalkingBooth);
        }
        const keys = specs.map(consumerKey);
        expect(new Set(keys).size).toBe(keys.length);
      });
    }
  }

  test('switching talk from booth 1 to booth 3 pauses officer audio to booth 1 and resumes it to booth 3', () => {
    const before = deriveConsumers(deskOf(4, 'booth-1'));
    const after = deriveConsumers(deskOf(4, 'booth-3'));
    const officerAudioTo = (specs: typeof before, boothId: string) =>
      specs.find((spec) => spec.receiver.id === boothId && spec.kind === 'audio')?.paused;
    expect([officerAudioTo(before, 'booth-1'), officerAudioTo(before, 'booth-3')]).toEqual([false, true]);
    expect([officerAudioTo(after, 'booth-1'), officerAudioTo(after, 'booth-3')]).toEqual([true, false]);
    // Only pause flags change: the same consumers exist before and after.
    expect(after.map(consumerKey).sort()).toEqual(before.map(consumerKey).sort());
  });

  test('enlarging booth 2 gives its video to the officer at full size and the highest priority, and nothing else changes', () => {
    const grid = deriveConsumers(deskOf(3, 'booth-1'));
    const focused = deriveConsumers({ ...deskOf(3, 'booth-1'), focusedBoothId: 'booth-2' });
    const changed = focused.filter((spec, index) => JSON.stringify(spec) !== JSON.stringify(grid[index]));
    expect(changed).toEqual([
      expect.objectContaining({
        receiver: { role: 'officer', id: 'officer' },
        producerId: 'booth-2-video',
        priority: PRIORITY_FOCUSED,
        spatialLayer: SPATIAL_LAYER_FULL,
      }),
    ]);
    expect(grid.every((spec) => spec.priority === PRIORITY_NORMAL)).toBe(true);
  });

  test('booth video reaches the officer at tile size; nothing else asks for a layer', () => {
    for (const spec of deriveConsumers(deskOf(6, 'booth-3'))) {
      const boothVideoToOfficer = spec.receiver.role === 'officer' && spec.kind === 'video';
      expect(spec.spatialLayer).toBe(boothVideoToOfficer ? SPATIAL_LAYER_TILE : null);
    }
  });

  test('a desk without its officer has no consumers', () => {
    expect(deriveConsumers({ ...deskOf(0, 'booth-1'), officer: null, booths: [sender('booth-1')] })).toEqual([]);
  });

  test('a booth without a receive transport gets nothing, but the officer still receives it', () => {
    const specs = deriveConsumers({ ...deskOf(0, 'booth-1'), booths: [sender('booth-1', false)] });
    expect(specs.every((spec) => spec.receiver.role === 'officer')).toBe(true);
    expect(specs).toHaveLength(2);
  });

  test('media not yet produced is not consumed', () => {
    const booth: PolicyParticipant = { id: 'booth-1', producers: { video: 'booth-1-video' }, receiving: true };
    const officer: PolicyParticipant = { id: 'officer', producers: {}, receiving: true };
    const specs = deriveConsumers({ ...deskOf(0, 'booth-1'), officer, booths: [booth] });
    expect(specs).toEqual([
      {
        receiver: { role: 'officer', id: 'officer' },
        source: { role: 'booth', id: 'booth-1' },
        producerId: 'booth-1-video',
        kind: 'video',
        paused: false,
        priority: 1,
        spatialLayer: SPATIAL_LAYER_TILE,
      },
    ]);
  });
});

describe('deriveSendLayers', () => {
  const layersOf = (state: DeskMediaState) => Object.fromEntries(deriveSendLayers(state, deriveConsumers(state)));

  test('grid tiles: every booth sends up to the half-resolution layer, whoever the officer talks to', () => {
    expect(layersOf(deskOf(3, 'booth-2'))).toEqual({
      'booth-1': SPATIAL_LAYER_TILE,
      'booth-2': SPATIAL_LAYER_TILE,
      'booth-3': SPATIAL_LAYER_TILE,
    });
  });

  test('the enlarged booth sends its full-resolution layer too; the others stay at tile size', () => {
    const state = { ...deskOf(3, null), focusedBoothId: 'booth-3' };
    expect(layersOf(state)).toEqual({ 'booth-1': SPATIAL_LAYER_TILE, 'booth-2': SPATIAL_LAYER_TILE, 'booth-3': SPATIAL_LAYER_FULL });
  });

  test('nobody watching (no officer, or one not yet receiving): booths send no video', () => {
    expect(layersOf({ ...deskOf(2, null), officer: null })).toEqual({ 'booth-1': null, 'booth-2': null });
    expect(layersOf({ ...deskOf(2, null), officer: sender('officer', false) })).toEqual({ 'booth-1': null, 'booth-2': null });
  });

  test('a booth that sends no video is not told anything; on hold (talking elsewhere) changes nothing for video', () => {
    const audioOnly: PolicyParticipant = { id: 'booth-9', producers: { audio: 'booth-9-audio' }, receiving: true };
    const state = { ...deskOf(1, 'booth-1'), booths: [...deskOf(1, 'booth-1').booths, audioOnly] };
    expect(layersOf(state)).toEqual({ 'booth-1': SPATIAL_LAYER_TILE });
  });
});

describe('the booth uplink cap (maxBoothLayer)', () => {
  const QUARTER = 0;
  /** What the officer prefers of each booth's video, by booth. */
  const preferredOf = (state: DeskMediaState) =>
    Object.fromEntries(
      deriveConsumers(state)
        .filter((spec) => spec.source.role === 'booth' && spec.kind === 'video')
        .map((spec) => [spec.source.id, spec.spatialLayer]),
    );
  const sentOf = (state: DeskMediaState) => Object.fromEntries(deriveSendLayers(state, deriveConsumers(state)));

  test('grid: a cap at the quarter layer brings every tile and what every booth sends down to it', () => {
    const state = { ...deskOf(3, 'booth-1'), maxBoothLayer: QUARTER };
    const quarter = { 'booth-1': QUARTER, 'booth-2': QUARTER, 'booth-3': QUARTER };
    expect(preferredOf(state)).toEqual(quarter);
    expect(sentOf(state)).toEqual(quarter);
    // A cap at the tile layer leaves the grid as it is.
    expect(sentOf({ ...state, maxBoothLayer: SPATIAL_LAYER_TILE })).toEqual(sentOf({ ...state, maxBoothLayer: SPATIAL_LAYER_FULL }));
  });

  test('focus: under a cap at the tile layer the enlarged booth is asked for and sends the tile layer, still first in priority', () => {
    const state = { ...deskOf(3, 'booth-1'), focusedBoothId: 'booth-2', maxBoothLayer: SPATIAL_LAYER_TILE };
    expect(preferredOf(state)).toEqual({ 'booth-1': SPATIAL_LAYER_TILE, 'booth-2': SPATIAL_LAYER_TILE, 'booth-3': SPATIAL_LAYER_TILE });
    expect(sentOf(state)['booth-2']).toBe(SPATIAL_LAYER_TILE);
    const enlarged = deriveConsumers(state).find((spec) => spec.producerId === 'booth-2-video');
    expect(enlarged?.priority).toBe(PRIORITY_FOCUSED);
    // Uncapped, the same desk asks the enlarged booth for its full layer.
    expect(sentOf({ ...state, maxBoothLayer: SPATIAL_LAYER_FULL })['booth-2']).toBe(SPATIAL_LAYER_FULL);
  });

  test('hold: booths the officer does not talk to are capped like the one it talks to', () => {
    const state = { ...deskOf(3, 'booth-3'), maxBoothLayer: QUARTER };
    expect(sentOf(state)).toEqual({ 'booth-1': QUARTER, 'booth-2': QUARTER, 'booth-3': QUARTER });
    expect(sentOf({ ...state, focusedBoothId: 'booth-1' })).toEqual({ 'booth-1': QUARTER, 'booth-2': QUARTER, 'booth-3': QUARTER });
  });

  test('nobody watching: booths send nothing, whatever the cap', () => {
    for (let maxBoothLayer = QUARTER; maxBoothLayer <= SPATIAL_LAYER_FULL; maxBoothLayer++) {
      expect(sentOf({ ...deskOf(2, null), officer: null, maxBoothLayer })).toEqual({ 'booth-1': null, 'booth-2': null });
      expect(sentOf({ ...deskOf(2, null), officer: sender('officer', false), maxBoothLayer })).toEqual({
        'booth-1': null,
        'booth-2': null,
      });
    }
  });

  test('in every desk state, a cap lowers exactly the booth video layers above it, asked for and sent, and changes nothing else', () => {
    const officers = [sender('officer'), sender('officer', false), null];
    for (let boothCount = 1; boothCount <= 6; boothCount++) {
      const boothIds = [null, ...Array.from({ length: boothCount }, (_, index) => `booth-${index + 1}`)];
      for (const officer of officers) {
        for (const talkingToBoothId of boothIds) {
          for (const focusedBoothId of boothIds) {
            const uncapped = { ...deskOf(boothCount, talkingToBoothId), officer, focusedBoothId };
            const uncappedSpecs = deriveConsumers(uncapped);
            const uncappedSent = deriveSendLayers(uncapped, uncappedSpecs);
            for (let maxBoothLayer = QUARTER; maxBoothLayer <= SPATIAL_LAYER_FULL; maxBoothLayer++) {
              const capped = { ...uncapped, maxBoothLayer };
              const specs = deriveConsumers(capped);
              const lowered = (layer: number | null) => (layer === null ? null : Math.min(layer, maxBoothLayer));
              expect(specs).toEqual(uncappedSpecs.map((spec) => ({ ...spec, spatialLayer: lowered(spec.spatialLayer) })));
              const sent = deriveSendLayers(capped, specs);
              expect([...sent]).toEqual([...uncappedSent].map(([boothId, layer]) => [boothId, lowered(layer)]));
            }
          }
        }
      }
    }
  });
});

describe('a supervisor monitoring a visit (the monitor role)', () => {
  /** What a spec says, in short: receiver <- source kind, and (paused) when it is. */
  const describeSpec = (spec: ConsumerSpec) =>
    `${spec.receiver.role}:${spec.receiver.id} <- ${spec.source.role}:${spec.source.id} ${spec.kind}${spec.paused ? ' (paused)' : ''}`;
  const officers = { present: sender('officer'), 'not receiving': sender('officer', false), absent: null };

  for (let boothCount = 1; boothCount <= 6; boothCount++) {
    const boothIds = Array.from({ length: boothCount }, (_, index) => `booth-${index + 1}`);
    for (const [officerState, officer] of Object.entries(officers)) {
      test(`a desk of ${boothCount} booths, officer ${officerState}: in every talk, focus, monitored booth and barge, the supervisor hears exactly that visit and only a barged-into booth hears the supervisor`, () => {
        for (const talkingTo of [null, ...boothIds]) {
          for (const focused of [null, ...boothIds]) {
            for (const watched of boothIds) {
              for (const barging of [false, true]) {
                const without = { ...deskOf(boothCount, talkingTo), officer, focusedBoothId: focused };
                const specs = deriveConsumers({ ...without, monitors: [monitorOf(watched, barging)] });
                // The desk's own media is exactly what it is without the supervisor.
                const deskOwn = specs.filter((spec) => spec.receiver.role !== 'monitor' && spec.source.role !== 'monitor');
                expect(deskOwn).toEqual(deriveConsumers(without));
                const monitorSpecs = specs.filter((spec) => spec.receiver.role === 'monitor' || spec.source.role === 'monitor');
                const expected = [
                  `monitor:penyelia <- booth:${watched} video`,
                  `monitor:penyelia <- booth:${watched} audio`,
                  ...(officer ? [`monitor:penyelia <- officer:officer audio${talkingTo === watched ? '' : ' (paused)'}`] : []),
                  ...(barging ? [`booth:${watched} <- monitor:penyelia audio`] : []),
                ];
                expect(monitorSpecs.map(describeSpec)).toEqual(expected);
                const watchedVideo = monitorSpecs.find((spec) => spec.kind === 'video')!;
                expect([watchedVideo.spatialLayer, watchedVideo.priority]).toEqual([SPATIAL_LAYER_TILE, PRIORITY_NORMAL]);
                const keys = specs.map(consumerKey);
                expect(new Set(keys).size).toBe(keys.length);
              }
            }
          }
        }
      });
    }
  }

  test('barging in on booth 2 adds one consumer, the supervisor to booth 2; ending it takes that one away again', () => {
    const silent = deriveConsumers({ ...deskOf(3, 'booth-1'), monitors: [monitorOf('booth-2', false)] });
    const barged = deriveConsumers({ ...deskOf(3, 'booth-1'), monitors: [monitorOf('booth-2', true)] });
    const added = barged.filter((spec) => !silent.some((before) => consumerKey(before) === consumerKey(spec)));
    expect(added.map(describeSpec)).toEqual(['booth:booth-2 <- monitor:penyelia audio']);
    expect(barged.filter((spec) => spec.source.role === 'monitor')).toEqual(added);
  });

  test('two supervisors on two visits: each hears only their own, and only the booth barged into hears its supervisor', () => {
    const specs = deriveConsumers({
      ...deskOf(4, 'booth-3'),
      monitors: [monitorOf('booth-1', true, 'penyelia-1'), monitorOf('booth-3', false, 'penyelia-2')],
    });
    const toMonitor = (id: string) => specs.filter((spec) => spec.receiver.id === id).map(describeSpec);
    expect(toMonitor('penyelia-1')).toEqual([
      'monitor:penyelia-1 <- booth:booth-1 video',
      'monitor:penyelia-1 <- booth:booth-1 audio',
      'monitor:penyelia-1 <- officer:officer audio (paused)',
    ]);
    expect(toMonitor('penyelia-2')).toEqual([
      'monitor:penyelia-2 <- booth:booth-3 video',
      'monitor:penyelia-2 <- booth:booth-3 audio',
      'monitor:penyelia-2 <- officer:officer audio',
    ]);
    expect(specs.filter((spec) => spec.source.role === 'monitor').map(describeSpec)).toEqual(['booth:booth-1 <- monitor:penyelia-1 audio']);
  });

  test('a supervisor watching a booth not (or no longer) at the desk gets nothing and gives nothing, barging or not', () => {
    const state = { ...deskOf(2, 'booth-1'), monitors: [monitorOf('booth-9', true)] };
    expect(deriveConsumers(state)).toEqual(deriveConsumers(deskOf(2, 'booth-1')));
  });

  test('a supervisor without a receive transport gets nothing yet; a barge-in still reaches the booth, which cannot hear it while not receiving', () => {
    const notReceiving = deriveConsumers({ ...deskOf(2, 'booth-1'), monitors: [monitorOf('booth-2', true, 'penyelia', false)] });
    expect(notReceiving.filter((spec) => spec.receiver.role === 'monitor' || spec.source.role === 'monitor').map(describeSpec)).toEqual([
      'booth:booth-2 <- monitor:penyelia audio',
    ]);
    const deafBooth = { ...deskOf(2, 'booth-1'), monitors: [monitorOf('booth-2', true)] };
    deafBooth.booths = [sender('booth-1'), sender('booth-2', false)];
    expect(deriveConsumers(deafBooth).filter((spec) => spec.source.role === 'monitor')).toEqual([]);
  });

  test('a supervisor whose microphone is not sent yet gives nothing, even barging', () => {
    const muteMonitor: PolicyMonitor = { id: 'penyelia', producers: {}, receiving: true, boothId: 'booth-1', barging: true };
    const specs = deriveConsumers({ ...deskOf(2, 'booth-1'), monitors: [muteMonitor] });
    expect(specs.filter((spec) => spec.source.role === 'monitor')).toEqual([]);
  });

  test('the uplink cap holds for the supervisor too, and a watched booth sends its tile layer even with no officer watching', () => {
    const capped = { ...deskOf(2, null), officer: null, maxBoothLayer: 0, monitors: [monitorOf('booth-2', false)] };
    const specs = deriveConsumers(capped);
    expect(specs.find((spec) => spec.kind === 'video')?.spatialLayer).toBe(0);
    expect(Object.fromEntries(deriveSendLayers(capped, specs))).toEqual({ 'booth-1': null, 'booth-2': 0 });
    const uncapped = { ...capped, maxBoothLayer: SPATIAL_LAYER_FULL };
    expect(Object.fromEntries(deriveSendLayers(uncapped, deriveConsumers(uncapped)))).toEqual({
      'booth-1': null,
      'booth-2': SPATIAL_LAYER_TILE,
    });
  });
});
