/**
 * Browser side of bench:compose: the media of one officer console and one kiosk in a page,
 * without their screens. Each is the apps' own MediaSession (transports, producers, consumers,
 * key-frame requests) on its own socket, as the console and the kiosk open them; what is left
 * out is what a screen costs (drawing tiles and the kiosk's journey), which 48 real pages on a
 * 2-core machine running the whole stack could not afford. Bundled by the benchmark (vite) and
 * put into a page of the server's origin, whose browser context holds the officer's session.
 */
import { NAMESPACES } from '@bilik/shared';
import { MediaSession, type JourneySocket, type MediaSocket } from '@bilik/shared/client';
import { connectedSocket, visitAssigned } from './benchSockets.js';

/** What one side of the page has received so far, over its receive transport. */
export interface Received {
  videoFrames: number;
  audioPackets: number;
  packetsReceived: number;
  packetsLost: number;
}

/** The camera the benchmark asks for: small, since the machine encodes one per participant. */
export interface Camera {
  width: number;
  height: number;
  frameRate: number;
}

const sessions: { officer?: MediaSession; booth?: MediaSession } = {};

/** Received tracks need no screen: their statistics count what was decoded. */
const NO_SCREEN = { onTrackAdded: () => undefined, onTrackRemoved: () => undefined, onTrackPausedChanged: () => undefined };

/**
 * A tone and a drawn, changing picture of `camera`'s size and rate, in place of a microphone and a
 * camera: Chromium's fake devices refuse to open more than 16 audio sources in one browser.
 * Made once per page; each participant sends copies of its tracks.
 */
let pageMedia: MediaStream | undefined;
async function syntheticMedia({ width, height, frameRate }: Camera): Promise<MediaStream> {
  if (!pageMedia) {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const output = audio.createMediaStreamDestination();
    tone.connect(output);
    tone.start();
    await audio.resume();
    const canvas = Object.assign(document.createElement('canvas'), { width, height });
    const drawing = canvas.getContext('2d')!;
    let frame = 0;
    setInterval(() => {
      drawing.fillStyle = `hsl(${(frame++ * 7) % 360} 70% 50%)`;
      drawing.fillRect(0, 0, width, height);
    }, 1000 / frameRate);
    pageMedia = new MediaStream([...output.stream.getAudioTracks(), ...canvas.captureStream(frameRate).getVideoTracks()]);
  }
  return new MediaStream(pageMedia.getTracks().map((track) => track.clone()));
}

/** The officer at their desk, signed in by the page's session cookie: available at once (a scripted console). */
async function startOfficer(camera: Camera): Promise<void> {
  const socket = await connectedSocket<MediaSocket>(NAMESPACES.officer, {});
  sessions.officer = await MediaSession.start(socket, syntheticMedia(camera), NO_SCREEN);
}

/** A claimant at the kiosk with `credential`: starts a visit, which an available officer takes at once, then joins the desk. */
async function startBooth(credential: string, camera: Camera): Promise<void> {
  await visitAssigned(await connectedSocket<JourneySocket>(NAMESPACES.journey, { credential }));
  const socket = await connectedSocket<MediaSocket>(NAMESPACES.booth, { credential });
  sessions.booth = await MediaSession.start(socket, syntheticMedia(camera), NO_SCREEN, { simulcastVideo: true });
}

async function receivedBy(session: MediaSession | undefined): Promise<Received> {
  const total: Received = { videoFrames: 0, audioPackets: 0, packetsReceived: 0, packetsLost: 0 };
  if (!session) return total;
  (await session.getStats()).recv.forEach(
    (report: { type: string; kind?: string; codecId?: string; framesDecoded?: number; packetsReceived?: number; packetsLost?: number }) => {
      // Without a codec: mediasoup's bandwidth probation stream, not media.
      if (report.type !== 'inbound-rtp' || report.codecId === undefined) return;
      if (report.kind === 'video') total.videoFrames += report.framesDecoded ?? 0;
      if (report.kind === 'audio') total.audioPackets += report.packetsReceived ?? 0;
      total.packetsReceived += report.packetsReceived ?? 0;
      total.packetsLost += Math.max(0, report.packetsLost ?? 0);
    },
  );
  return total;
}

/** What the benchmark calls in the page. */
const benchDesk = {
  startOfficer,
  startBooth,
  received: async () => ({ officer: await receivedBy(sessions.officer), booth: await receivedBy(sessions.booth) }),
};
export type BenchDesk = typeof benchDesk;
(window as unknown as { benchDesk: BenchDesk }).benchDesk = benchDesk;
