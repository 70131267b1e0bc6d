/**
 * Tones as media: a page's camera and microphone are replaced by a sine tone at a frequency
 * of the test's choosing and a drawn video, so a test can tell by frequency analysis whose
 * audio a page receives.
 */
import type { Page } from 'puppeteer-core';

/** Makes getUserMedia in this page return a `frequencyHz` sine tone and a moving test picture. */
export async function useToneAsMedia(page: Page, frequencyHz: number): Promise<void> {
  await page.evaluateOnNewDocument((frequency: number) => {
    navigator.mediaDevices.getUserMedia = async () => {
      const context = new AudioContext();
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      const destination = context.createMediaStreamDestination();
      oscillator.connect(destination);
      oscillator.start();
      await context.resume();
      const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 360 });
      const drawing = canvas.getContext('2d')!;
      let frame = 0;
      setInterval(() => {
        drawing.fillStyle = `hsl(${(frame++ * 7) % 360} 70% 50%)`;
        drawing.fillRect(0, 0, canvas.width, canvas.height);
        drawing.fillStyle = '#fff';
        drawing.font = '48px sans-serif';
        drawing.fillText(`${frequency} Hz`, 40, 80);
      }, 1000 / 15);
      return new MediaStream([...destination.stream.getAudioTracks(), ...canvas.captureStream(15).getVideoTracks()]);
    };
  }, frequencyHz);
}

/**
 * The level (dB) of each frequency in everything the page receives: every remote audio track of
 * the page's peer connections, analysed together. Quiet frequencies read about -100 dB or lower
 * (-200 for digital silence).
 */
export function receivedToneLevels(page: Page, frequenciesHz: number[]): Promise<Record<number, number>> {
  return page.evaluate(async (frequencies: number[]) => {
    type Analysis = { context: AudioContext; analyser: AnalyserNode; tracks: Set<string> };
    const scope = window as unknown as { __toneAnalysis?: Analysis; __peerConnections?: RTCPeerConnection[] };
    if (!scope.__toneAnalysis) {
      const context = new AudioContext();
      const analyser = Object.assign(context.createAnalyser(), { fftSize: 8192, smoothingTimeConstant: 0 });
      scope.__toneAnalysis = { context, analyser, tracks: new Set() };
    }
    const analysis = scope.__toneAnalysis;
    await analysis.context.resume();
    for (const connection of scope.__peerConnections ?? []) {
      for (const receiver of connection.getReceivers()) {
        const track = receiver.track;
        if (track.kind !== 'audio' || analysis.tracks.has(track.id)) continue;
        analysis.tracks.add(track.id);
        analysis.context.createMediaStreamSource(new MediaStream([track])).connect(analysis.analyser);
      }
    }
    const spectrum = new Float32Array(analysis.analyser.frequencyBinCount);
    analysis.analyser.getFloatFrequencyData(spectrum);
    const binWidth = analysis.context.sampleRate / analysis.analyser.fftSize;
    const levels: Record<number, number> = {};
    for (const frequency of frequencies) {
      const bin = Math.round(frequency / binWidth);
      // The strongest of the neighbouring bins, as a tone may fall between two. Silence reads
      // -Infinity, which does not survive the trip out of the page: it becomes -200.
      const level = Math.max(spectrum[bin - 1] ?? -Infinity, spectrum[bin] ?? -Infinity, spectrum[bin + 1] ?? -Infinity);
      levels[frequency] = Number.isFinite(level) ? level : -200;
    }
    return levels;
  }, frequenciesHz);
}
