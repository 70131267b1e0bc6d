/**
 * The kiosk's self-test: camera, microphone, speaker and the SFU, one after another, each with a
 * short technical detail for branch IT (never anything of a claimant). Everything a check opens
 * is closed again when it ends, even after a timeout: the call opens its own media later.
 */
import type { types as msc } from 'mediasoup-client';
import { describeError, loadedDevice, request, type JourneySocket } from '@bilik/shared/client';
import type { CheckResult, NetworkPath, SelfTestCheck, SelfTestReport } from '@bilik/shared/fleet';

/** What the screen follows while the self-test runs. */
export interface SelfTestProgress {
  /** A check starts; for the microphone, the claimant is asked to say something now. */
  onCheckStarted(check: SelfTestCheck): void;
  onCheckFinished(check: SelfTestCheck, ok: boolean): void;
}

type NetworkResult = SelfTestReport['network'];

// The camera as the call asks for it, so the test proves what the call will get.
const CAMERA_CONSTRAINTS: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } };
// The microphone's own signal: echo cancellation and noise suppression would hide what it picks up.
const RAW_MICROPHONE: MediaTrackConstraints = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
const FRAMES_NEEDED = 3;
/** How long the claimant has to say something. */
const LISTEN_MS = 8_000;
const LISTEN_INTERVAL_MS = 100;
/** Speech near the kiosk reaches about −30 dBFS; a quiet room stays well below −50. */
const SOUND_THRESHOLD_DBFS = -40;
// The analyser keeps the last ~0.7 s (at 48 kHz), so sound between two looks is not missed even when timers are slowed down.
const ANALYSER_SAMPLES = 32_768;
/** RMS is taken over blocks this long (~20 ms): a click does not count as sound, a syllable does. */
const LEVEL_BLOCK_SAMPLES = 1024;
const TONE_SECONDS = 0.5;
const TONE_HZ = 660;
const RTT_ATTEMPTS = 15;
const RTT_INTERVAL_MS = 200;
const MAX_DETAIL_LENGTH = 200;
const TIMEOUT_MS: Record<SelfTestCheck, number> = { camera: 10_000, microphone: LISTEN_MS + 5_000, speaker: 5_000, network: 15_000 };
const AUTOPLAY_BLOCKED = 'audio is blocked by the autoplay policy (start Chromium with --autoplay-policy=no-user-gesture-required)';

/** Runs every check in turn on this kiosk, the network one through the journey socket, and returns the report. */
export async function runSelfTest(socket: JourneySocket, progress: SelfTestProgress): Promise<SelfTestReport> {
  const run = async <R extends CheckResult>(
    check: SelfTestCheck,
    body: (opened: Opened) => Promise<R>,
    failed: (detail: string) => R,
  ): Promise<R> => {
    progress.onCheckStarted(check);
    const opened = new Opened();
    let result: R;
    try {
      result = await withTimeout(body(opened), TIMEOUT_MS[check]);
    } catch (error) {
      result = failed(describeError(error));
    } finally {
      opened.closeAll();
    }
    result.detail = result.detail === null ? null : result.detail.slice(0, MAX_DETAIL_LENGTH);
    progress.onCheckFinished(check, result.ok);
    return result;
  };
  const failedCheck = (detail: string): CheckResult => ({ ok: false, detail });
  return {
    camera: await run('camera', checkCamera, failedCheck),
    microphone: await run('microphone', checkMicrophone, failedCheck),
    speaker: await run('speaker', checkSpeaker, failedCheck),
    network: await run(
      'network',
      (opened) => checkNetwork(socket, opened),
      (detail): NetworkResult => ({ ok: false, detail, rttMs: null, path: null }),
    ),
  };
}

/** Camera frames arrive: the picture is decoded, not merely opened. */
async function checkCamera(opened: Opened): Promise<CheckResult> {
  const stream = opened.stream(await navigator.mediaDevices.getUserMedia({ video: CAMERA_CONSTRAINTS }));
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  opened.add(() => (video.srcObject = null));
  await video.play();
  await new Promise<void>((resolve) => {
    let frames = 0;
    const counted = (): void => {
      frames += 1;
      if (frames >= FRAMES_NEEDED) resolve();
      else video.requestVideoFrameCallback(counted);
    };
    video.requestVideoFrameCallback(counted);
  });
  return { ok: true, detail: `${video.videoWidth}×${video.videoHeight}, frames arriving` };
}

/** The microphone picks up sound above the threshold within LISTEN_MS. */
async function checkMicrophone(opened: Opened): Promise<CheckResult> {
  const stream = opened.stream(await navigator.mediaDevices.getUserMedia({ audio: RAW_MICROPHONE }));
  const context = await runningAudioContext(opened);
  const analyser = context.createAnalyser();
  analyser.fftSize = ANALYSER_SAMPLES;
  context.createMediaStreamSource(stream).connect(analyser);
  const loudest = await listen(analyser);
  const level = `${Math.round(loudest)} dBFS`;
  if (loudest >= SOUND_THRESHOLD_DBFS) return { ok: true, detail: `sound at ${level}` };
  return { ok: false, detail: `no sound above ${SOUND_THRESHOLD_DBFS} dBFS in ${LISTEN_MS / 1000} s (loudest ${level})` };
}

/** Resolves with the loudest block level (dBFS) heard: as soon as it passes the threshold, or after LISTEN_MS. */
function listen(analyser: AnalyserNode): Promise<number> {
  const samples = new Float32Array(analyser.fftSize);
  let loudest = -Infinity;
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      loudest = Math.max(loudest, loudestBlockDbfs(samples));
      if (loudest >= SOUND_THRESHOLD_DBFS || performance.now() - startedAt >= LISTEN_MS) {
        clearInterval(timer);
        resolve(loudest);
      }
    }, LISTEN_INTERVAL_MS);
  });
}

function loudestBlockDbfs(samples: Float32Array): number {
  let loudest = 0;
  for (let start = 0; start + LEVEL_BLOCK_SAMPLES <= samples.length; start += LEVEL_BLOCK_SAMPLES) {
    let sumOfSquares = 0;
    for (let index = start; index < start + LEVEL_BLOCK_SAMPLES; index += 1) sumOfSquares += samples[index]! ** 2;
    loudest = Math.max(loudest, Math.sqrt(sumOfSquares / LEVEL_BLOCK_SAMPLES));
  }
  return loudest > 0 ? 20 * Math.log10(loudest) : -Infinity;
}

/** A short tone goes to the audio output, and the output consumed it to the end. */
async function checkSpeaker(opened: Opened): Promise<CheckResult> {
  const context = await runningAudioContext(opened);
  const oscillator = context.createOscillator();
  oscillator.frequency.value = TONE_HZ;
  // Faded in and out, so it chimes rather than clicks.
  const gain = context.createGain();
  const start = context.currentTime;
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(0.3, start + 0.05);
  gain.gain.linearRampToValueAtTime(0, start + TONE_SECONDS);
  oscillator.connect(gain).connect(context.destination);
  const ended = new Promise((resolve) => oscillator.addEventListener('ended', resolve, { once: true }));
  oscillator.start(start);
  oscillator.stop(start + TONE_SECONDS);
  await ended;
  return { ok: true, detail: `a ${TONE_SECONDS} s tone played on the audio output; whether it was heard cannot be checked automatically` };
}

/** An audio context that runs: a suspended one processes nothing, so neither check could mean anything. */
async function runningAudioContext(opened: Opened): Promise<AudioContext> {
  const context = new AudioContext();
  opened.add(() => void context.close());
  await context.resume();
  if (context.state !== 'running') throw new Error(AUTOPLAY_BLOCKED);
  return context;
}

/**
 * The SFU is reachable: a WebRTC transport to the server's probe connects (ICE and DTLS), and its
 * candidate pair gives the round-trip time. The track sent is silence, and the server forwards nothing of it.
 */
async function checkNetwork(socket: JourneySocket, opened: Opened): Promise<NetworkResult> {
  const { routerRtpCapabilities, transport: options } = await request(socket, 'selftest:probe:open', {});
  // Best effort: the server also closes the probe on disconnect or when it expires.
  opened.add(() => void request(socket, 'selftest:probe:close', {}).catch(() => undefined));
  // The Device the kiosk's calls use too (the probe's router has the desks' codecs): loaded here,
  // between visits, it is ready when a claimant is assigned.
  const device = await loadedDevice(routerRtpCapabilities);
  const transport = device.createSendTransport(options as unknown as msc.TransportOptions);
  opened.add(() => transport.close());
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    request(socket, 'selftest:probe:connect', { dtlsParameters }).then(() => callback(), errback);
  });
  // The probe has no producer on the server: the packets only carry the connection, and are dropped there.
  transport.on('produce', (_parameters, callback) => callback({ id: 'self-test-probe' }));
  const connected = new Promise<void>((resolve, reject) => {
    transport.on('connectionstatechange', (state) => {
      if (state === 'connected') resolve();
      else if (state === 'failed' || state === 'closed') reject(new Error(`WebRTC connection ${state}`));
    });
  });
  // Silence from an audio context, not the microphone: this check must not depend on the others. Even
  // a context the autoplay policy suspended gives a track that lets the connection complete.
  const context = new AudioContext();
  opened.add(() => void context.close());
  const silence = opened.stream(context.createMediaStreamDestination().stream);
  await Promise.all([transport.produce({ track: silence.getAudioTracks()[0]! }), connected]);
  const pair = await measuredCandidatePair(transport);
  const over = pair.path === null ? 'unknown path' : PATH_NAMES[pair.path];
  if (pair.rttMs === null)
    return { ok: true, detail: `WebRTC connected (${over}); no round-trip time measured yet`, rttMs: null, path: pair.path };
  return { ok: true, detail: `WebRTC connected (${over}), round trip ${pair.rttMs} ms`, rttMs: pair.rttMs, path: pair.path };
}

const PATH_NAMES: Record<NetworkPath, string> = { udp: 'UDP', tcp: 'TCP', relay: 'TURN relay' };

/** The path of a selected pair's local candidate: through the relay, else its own protocol. */
function pathOf(local: { candidateType?: string; protocol?: string }): NetworkPath | null {
  if (local.candidateType === 'relay') return 'relay';
  return local.protocol === 'udp' || local.protocol === 'tcp' ? local.protocol : null;
}

/** The connection's selected candidate pair, once it has a round-trip time (or after a few tries). */
async function measuredCandidatePair(transport: msc.Transport): Promise<{ rttMs: number | null; path: NetworkPath | null }> {
  let path: NetworkPath | null = null;
  for (let attempt = 0; attempt < RTT_ATTEMPTS; attempt += 1) {
    const stats = await transport.getStats();
    let pair: { currentRoundTripTime?: number; localCandidateId?: string } | undefined;
    stats.forEach((report: { type: string; selectedCandidatePairId?: string }) => {
      if (report.type === 'transport' && report.selectedCandidatePairId) pair = stats.get(report.selectedCandidatePairId) as typeof pair;
    });
    const local = pair?.localCandidateId
      ? (stats.get(pair.localCandidateId) as { protocol?: string; candidateType?: string } | undefined)
      : undefined;
    if (local) path = pathOf(local) ?? path;
    if (pair?.currentRoundTripTime !== undefined) return { rttMs: Math.round(pair.currentRoundTripTime * 1000), path };
    await new Promise((resolve) => setTimeout(resolve, RTT_INTERVAL_MS));
  }
  return { rttMs: null, path };
}

/** Rejects if `promise` takes longer than `ms`; what it opened is closed by its Opened either way. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What one check opened, closed together when it ends; anything opened after that is closed at once. */
class Opened {
  private readonly closers: Array<() => void> = [];
  private closed = false;

  add(close: () => void): void {
    if (this.closed) close();
    else this.closers.push(close);
  }

  /** Registers every track of `stream` to be stopped, and returns it. */
  stream(stream: MediaStream): MediaStream {
    this.add(() => {
      for (const track of stream.getTracks()) track.stop();
    });
    return stream;
  }

  closeAll(): void {
    this.closed = true;
    for (const close of this.closers.splice(0).reverse()) {
      try {
        close();
      } catch (error) {
        console.warn('self-test: could not close', error);
      }
    }
  }
}
