/**
 * The desk applies its media policy to real mediasoup: after every transition, the consumers
 * that actually exist in the worker, with the paused flags, priorities and preferred simulcast
 * layers the worker reports, are exactly those the policy derives; and a transition the worker
 * cannot apply fails and leaves nobody hearing what they should not.
 */
import type { DeskState, MonitorState } from '@bilik/shared';
import type { types as ms } from 'mediasoup';
import { createLogger } from '../../server/src/logger.js';
import { Desk } from '../../server/src/sfu/desk.js';
import { startMediaWorker, type MediaWorker } from '../../server/src/sfu/mediaWorker.js';
import { boothLayerCap } from '../../server/src/sfu/boothUplink.js';
import {
  deriveConsumers,
  SPATIAL_LAYER_FULL,
  SPATIAL_LAYER_TILE,
  type PolicyMonitor,
  type PolicyParticipant,
} from '../../server/src/sfu/mediaPolicy.js';
import type { ClientConnection, Participant } from '../../server/src/sfu/participant.js';
import { SYNTHETIC_RTP_PARAMETERS } from '../support/syntheticMedia.js';
import { freeRtcPorts } from '../support/testServer.js';

let worker: MediaWorker;
let desk: Desk;
/** The highest simulcast layer the desk lets its booths send (BOOTH_UPLINK_KBPS). */
let maxBoothLayer: number;
/** Every consumer the router ever created, seen through mediasoup's observer, not the desk. */
let routerConsumers: ms.Consumer[];
const seated = new Map<string, Participant>();

beforeAll(async () => {
  worker = await startLocalWorker();
});

afterAll(() => {
  worker.worker.close();
});

beforeEach(async () => {
  await openDesk(worker, SPATIAL_LAYER_FULL);
});

afterEach(() => {
  desk.close();
});

/** Opens the test's desk, nobody seated, on `on`, its booths sending up to `layerCap`, and watches its router's consumers. */
async function openDesk(on: MediaWorker, layerCap: number): Promise<void> {
  maxBoothLayer = layerCap;
  desk = await Desk.create('petugas-1', 6, maxBoothLayer, on, createLogger('silent'));
  routerConsumers = [];
  seated.clear();
  desk.router.observer.on('newtransport', (transport) => {
    transport.observer.on('newconsumer', (consumer) => routerConsumers.push(consumer));
  });
}

/** A worker with its WebRtcServer on a free loopback port, as the server's pool starts them. */
async function startLocalWorker(): Promise<MediaWorker> {
  return startMediaWorker({ listenIp: '127.0.0.1', announcedIp: undefined }, await freeRtcPorts(1), createLogger('silent'));
}

const quietConnection = { notify: () => undefined, disconnect: () => undefined, moved: () => undefined };

/** Seats a participant that sends audio and video and receives, as a browser would. */
async function seat(role: 'booth' | 'officer', id: string, connection: ClientConnection = quietConnection): Promise<Participant> {
  const participant = desk.join(role, id, connection);
  const send = await desk.createTransport(participant, 'send');
  await desk.createTransport(participant, 'recv');
  await desk.setCapabilities(participant, desk.router.rtpCapabilities);
  await desk.produce(participant, send.id, 'audio', SYNTHETIC_RTP_PARAMETERS.audio);
  // Booths send simulcast, as the booth app does; the officer sends one layer.
  const video = role === 'booth' ? SYNTHETIC_RTP_PARAMETERS.simulcastVideo : SYNTHETIC_RTP_PARAMETERS.video;
  await desk.produce(participant, send.id, 'video', video);
  seated.set(`${role}:${id}`, participant);
  return participant;
}

/** Seats a supervisor monitoring `boothId`'s visit, sending a microphone and receiving, as the supervisor page does. */
async function seatMonitor(id: string, boothId: string, connection: ClientConnection = quietConnection): Promise<Participant> {
  const participant = desk.watch(id, { boothId, visitId: `visit-of-${boothId}` }, connection);
  const send = await desk.createTransport(participant, 'send');
  await desk.createTransport(participant, 'recv');
  await desk.setCapabilities(participant, desk.router.rtpCapabilities);
  await desk.produce(participant, send.id, 'audio', SYNTHETIC_RTP_PARAMETERS.audio);
  seated.set(`monitor:${id}`, participant);
  return participant;
}

async function unseat(participant: Participant): Promise<void> {
  seated.delete(`${participant.role}:${participant.id}`);
  await desk.leave(participant);
}

/** The clients attach every consumer they were told about. */
async function attachAll(): Promise<void> {
  for (const participant of seated.values()) {
    for (const consumer of [...participant.consumers.values()]) {
      if (!participant.readyConsumerIds.has(consumer.id)) await desk.consumerReady(participant, consumer.id);
    }
  }
}

function policyView(participant: Participant): PolicyParticipant {
  return {
    id: participant.id,
    producers: Object.fromEntries([...participant.producers].map(([kind, producer]) => [kind, producer.id])),
    receiving: true,
  };
}

function monitorView(participant: Participant): PolicyMonitor {
  return { ...policyView(participant), boothId: participant.watch!.boothId, barging: participant.watch!.barging };
}

async function expectWorkerToMatchPolicy(talkingToBoothId: string | null, focusedBoothId: string | null): Promise<void> {
  await attachAll();
  const officer = seated.get('officer:petugas-1');
  const booths = [...seated.values()].filter((p) => p.role === 'booth');
  const expected = deriveConsumers({
    officer: officer ? policyView(officer) : null,
    booths: booths.map(policyView),
    monitors: [...seated.values()].filter((p) => p.role === 'monitor').map(monitorView),
    talkingToBoothId,
    focusedBoothId,
    maxBoothLayer,
  })
    .map((spec) => ({
      receiver: `${spec.receiver.role}:${spec.receiver.id}`,
      producerId: spec.producerId,
      paused: spec.paused,
      priority: spec.priority,
      spatialLayer: spec.spatialLayer,
    }))
    .sort(byKey);
  const actual = [];
  for (const consumer of routerConsumers.filter((c) => !c.closed)) {
    const dump = (await consumer.dump()) as { paused: boolean; priority: number; preferredSpatialLayer?: number };
    const owner = consumer.appData as { role: string; ownerId: string };
    actual.push({
      receiver: `${owner.role}:${owner.ownerId}`,
      producerId: consumer.producerId,
      paused: dump.paused,
      priority: dump.priority,
      spatialLayer: dump.preferredSpatialLayer ?? null,
    });
  }
  expect(actual.sort(byKey)).toEqual(expected);
}

function byKey(a: { receiver: string; producerId: string }, b: { receiver: string; producerId: string }): number {
  return `${a.receiver}|${a.producerId}`.localeCompare(`${b.receiver}|${b.producerId}`);
}

test('every transition of a desk leaves exactly the consumers and pause flags the policy derives', async () => {
  const officer = await seat('officer', 'petugas-1');
  await seat('booth', 'bilik-1');
  await expectWorkerToMatchPolicy('bilik-1', null); // the first booth of an idle officer is talked to at once
  const booth2 = await seat('booth', 'bilik-2');
  await seat('booth', 'bilik-3');
  await expectWorkerToMatchPolicy('bilik-1', null);

  await desk.selectTalk('bilik-3');
  await expectWorkerToMatchPolicy('bilik-3', null);
  await desk.selectTalk('bilik-2');
  await expectWorkerToMatchPolicy('bilik-2', null);
  await desk.focus('bilik-1');
  await expectWorkerToMatchPolicy('bilik-2', 'bilik-1');
  await desk.focus(null);
  await desk.selectTalk(null);
  await expectWorkerToMatchPolicy(null, null);

  await desk.selectTalk('bilik-2');
  await unseat(booth2); // the booth the officer talks to leaves (its seat waits for it): nobody hears the officer
  await expectWorkerToMatchPolicy(null, null);
  await seat('booth', 'bilik-4');
  await desk.selectTalk('bilik-4');
  await expectWorkerToMatchPolicy('bilik-4', null);

  await unseat(officer); // the officer reconnects: everything towards and from them is rebuilt
  await expectWorkerToMatchPolicy('bilik-4', null);
  await seat('officer', 'petugas-1');
  await expectWorkerToMatchPolicy('bilik-4', null);
});

test.each([1, 2, 3, 4, 5, 6])('a full desk of %i booths matches the policy for talk to each booth in turn', async (boothCount) => {
  await seat('officer', 'petugas-1');
  for (let index = 1; index <= boothCount; index++) await seat('booth', `bilik-${index}`);
  for (let index = boothCount; index >= 1; index--) {
    await desk.selectTalk(`bilik-${index}`);
    await expectWorkerToMatchPolicy(`bilik-${index}`, null);
  }
});

test('a seventh booth is refused by a desk of six', async () => {
  for (let index = 1; index <= 6; index++) await seat('booth', `bilik-${index}`);
  expect(() => desk.join('booth', 'bilik-7', quietConnection)).toThrow(/desk is full/);
  expect(desk.boothIds).toHaveLength(6);
});

test('a talk switch the worker cannot apply fails, and the officer then talks to nobody with every audio consumer paused', async () => {
  const deskStates: DeskState[] = [];
  const officerConnection: ClientConnection = {
    notify: (event, ...args) => {
      if (event === 'desk:changed') deskStates.push(args[0] as DeskState);
    },
    disconnect: () => undefined,
    moved: () => undefined,
  };
  const officer = await seat('officer', 'petugas-1', officerConnection);
  const booth1 = await seat('booth', 'bilik-1');
  await seat('booth', 'bilik-2');
  await seat('booth', 'bilik-3');
  await expectWorkerToMatchPolicy('bilik-1', null);
  const booth1Audio = routerConsumers.find((consumer) => consumer.producerId === booth1.producers.get('audio')!.id)!;
  expect(booth1Audio.paused).toBe(false);

  // The officer's microphone goes in the worker at once; the desk hears of it only afterwards
  // (its consumers' producerclose comes from the worker), so the switch's first request
  // (pausing it towards bilik-1) finds its consumer gone.
  officer.producers.get('audio')!.close();
  await expect(desk.selectTalk('bilik-2')).rejects.toThrow(/talks to nobody/);

  expect(deskStates.at(-1)?.talkingToBoothId).toBeNull();
  // The officer no longer hears bilik-1, nor anyone else.
  expect(((await booth1Audio.dump()) as { paused: boolean }).paused).toBe(true);
  for (const consumer of routerConsumers.filter((c) => !c.closed && c.kind === 'audio')) {
    expect(((await consumer.dump()) as { paused: boolean }).paused).toBe(true);
  }
  // The next switch starts from there.
  await desk.selectTalk('bilik-3');
  expect(deskStates.at(-1)?.talkingToBoothId).toBe('bilik-3');
});

test('a talk switch under which the worker dies fails', async () => {
  const doomed = await startLocalWorker();
  desk.close();
  await openDesk(doomed, SPATIAL_LAYER_FULL);
  await seat('officer', 'petugas-1');
  await seat('booth', 'bilik-1');
  await seat('booth', 'bilik-2');
  await attachAll();

  const switching = desk.selectTalk('bilik-2');
  // Killed before the switch sends its first request, which can then never be answered.
  process.kill(doomed.worker.pid, 'SIGKILL');
  await expect(switching).rejects.toThrow(/talks to nobody/);
  expect(desk.isClosed).toBe(true);
});

test('a desk whose booths have an uplink cap of 1000 kbit/s tells an enlarged booth to send up to its tile layer, not its full one', async () => {
  const sentLayers: Array<{ maxSpatialLayer: number | null; capSpatialLayer: number }> = [];
  const boothConnection: ClientConnection = {
    notify: (event, ...args) => {
      if (event === 'media:sendLayers') sentLayers.push(args[0] as (typeof sentLayers)[number]);
    },
    disconnect: () => undefined,
    moved: () => undefined,
  };
  const enlargeOneBooth = async (): Promise<void> => {
    await seat('officer', 'petugas-1');
    await seat('booth', 'bilik-1', boothConnection);
    await desk.focus('bilik-1');
    // The officer's consumer prefers no layer above the cap either.
    await expectWorkerToMatchPolicy('bilik-1', 'bilik-1');
  };

  await enlargeOneBooth();
  expect(sentLayers.at(-1)).toEqual({ maxSpatialLayer: SPATIAL_LAYER_FULL, capSpatialLayer: SPATIAL_LAYER_FULL });

  desk.close();
  sentLayers.length = 0;
  await openDesk(worker, boothLayerCap(1000).maxSpatialLayer);
  await enlargeOneBooth();
  // Its full layer is off altogether, not idling: it can never be used.
  expect(sentLayers).toEqual([{ maxSpatialLayer: SPATIAL_LAYER_TILE, capSpatialLayer: SPATIAL_LAYER_TILE }]);
  const [enlarged] = routerConsumers.filter((consumer) => consumer.kind === 'video' && consumer.type === 'simulcast');
  expect(enlarged?.preferredLayers?.spatialLayer).toBe(SPATIAL_LAYER_TILE);
});

/** Records what the desk tells one client, by event. */
function recordingConnection(): { connection: ClientConnection; events: Array<{ event: string; payload: unknown }> } {
  const events: Array<{ event: string; payload: unknown }> = [];
  return {
    events,
    connection: {
      notify: (event, ...args) => void events.push({ event, payload: args[0] }),
      disconnect: () => undefined,
      moved: () => undefined,
    },
  };
}

test('a monitoring supervisor: the worker matches the policy through talk switches, barge-in and out, and the watched booth leaving and returning', async () => {
  const officer = recordingConnection();
  const booths = [recordingConnection(), recordingConnection(), recordingConnection()];
  await seat('officer', 'petugas-1', officer.connection);
  const booth1 = await seat('booth', 'bilik-1', booths[0]!.connection);
  const booth2 = await seat('booth', 'bilik-2', booths[1]!.connection);
  await seat('booth', 'bilik-3', booths[2]!.connection);
  const supervisor = recordingConnection();
  const monitor = await seatMonitor('penyelia-1', 'bilik-2', supervisor.connection);
  await expectWorkerToMatchPolicy('bilik-1', null);
  const toMonitor = () => routerConsumers.filter((c) => !c.closed && (c.appData as { role: string }).role === 'monitor');
  // bilik-2's camera and voice, and the officer's voice, paused while the officer talks to bilik-1.
  expect(toMonitor()).toHaveLength(3);

  await desk.selectTalk('bilik-2');
  await expectWorkerToMatchPolicy('bilik-2', null);
  await desk.barge(monitor, true);
  await expectWorkerToMatchPolicy('bilik-2', null);
  const monitorAudio = monitor.producers.get('audio')!.id;
  const hearingSupervisor = () => routerConsumers.filter((c) => !c.closed && c.producerId === monitorAudio);
  expect(hearingSupervisor().map((c) => (c.appData as { ownerId: string }).ownerId)).toEqual(['bilik-2']);
  await desk.selectTalk('bilik-3');
  await expectWorkerToMatchPolicy('bilik-3', null);
  await desk.barge(monitor, false);
  await expectWorkerToMatchPolicy('bilik-3', null);
  expect(hearingSupervisor()).toEqual([]);

  // The watched booth reconnects: the supervisor gets it again; a barge-in waits for it.
  await desk.barge(monitor, true);
  await unseat(booth2);
  await expectWorkerToMatchPolicy('bilik-3', null);
  expect(toMonitor()).toHaveLength(0);
  await seat('booth', 'bilik-2', booths[1]!.connection);
  await expectWorkerToMatchPolicy('bilik-3', null);
  expect(hearingSupervisor().map((c) => (c.appData as { ownerId: string }).ownerId)).toEqual(['bilik-2']);
  await unseat(booth1);
  await unseat(monitor);
  await expectWorkerToMatchPolicy('bilik-3', null);
  expect(toMonitor()).toHaveLength(0);
  expect(hearingSupervisor()).toEqual([]);

  // Nobody but the barged-into booth ever heard of the supervisor: no presence, no consumer.
  for (const client of [officer, ...booths]) {
    expect(client.events.filter(({ event }) => event === 'peer:changed').map(({ payload }) => payload)).not.toContainEqual(
      expect.objectContaining({ role: 'monitor' }),
    );
  }
  for (const client of [booths[0]!, booths[2]!]) {
    const sources = client.events.filter(({ event }) => event === 'consumer:created').map(({ payload }) => payload);
    expect(sources).not.toContainEqual(expect.objectContaining({ source: expect.objectContaining({ role: 'monitor' }) }));
  }
  // The officer was told of each barge-in, and of its end.
  const barged = officer.events.filter(({ event }) => event === 'desk:changed').map(({ payload }) => (payload as DeskState).bargedBoothIds);
  expect(barged.filter((ids, index) => index === 0 || JSON.stringify(ids) !== JSON.stringify(barged[index - 1]))).toEqual([
    [],
    ['bilik-2'],
    [],
    ['bilik-2'],
    [],
  ]);
  // The supervisor's page follows the visit.
  const states = supervisor.events.filter(({ event }) => event === 'monitor:changed').map(({ payload }) => payload as MonitorState);
  expect(states.at(-1)).toEqual(expect.objectContaining({ boothId: 'bilik-2', barging: true, officerTalking: false, boothPresent: true }));
});

test('a supervisor may not barge in on a booth not at the desk, and a monitor who left cannot barge in', async () => {
  await seat('officer', 'petugas-1');
  await seat('booth', 'bilik-1');
  const monitor = await seatMonitor('penyelia-1', 'bilik-9');
  await expect(desk.barge(monitor, true)).rejects.toThrow(/not connected/);
  await unseat(monitor);
  await expect(desk.barge(monitor, false)).rejects.toThrow(/not monitoring/);
  await expectWorkerToMatchPolicy('bilik-1', null);
});

test("a monitoring supervisor's media path going down is told to nobody at the desk", async () => {
  const officer = recordingConnection();
  const booth = recordingConnection();
  await seat('officer', 'petugas-1', officer.connection);
  await seat('booth', 'bilik-1', booth.connection);
  const monitor = await seatMonitor('penyelia-1', 'bilik-1');
  const [officerBefore, boothBefore] = [officer.events.length, booth.events.length];
  desk.reportRecovery(monitor, true);
  desk.reportRecovery(monitor, false);
  expect([officer.events.slice(officerBefore), booth.events.slice(boothBefore)]).toEqual([[], []]);
});
