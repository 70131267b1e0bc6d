/**
 * The camera and microphone opened shortly before the call (see aboutToBeCalled in
 * journeyMachine.ts), so that the call starts the moment the officer takes the claimant instead of
 * first waiting for the devices: a USB camera takes a noticeable time to start, and both sides wait
 * for it before they see each other. Nothing is sent until the call starts; devices the call did
 * not take are closed.
 */
import { captureCameraAndMicrophone } from '@bilik/shared/client';

export class WarmDevices {
  private opening: Promise<MediaStream> | null = null;

  /** Opens the devices, unless they are open or opening. */
  warm(): void {
    if (this.opening) return;
    const opening = captureCameraAndMicrophone();
    this.opening = opening;
    // A camera that would not open now is the call's to report: it opens the devices again itself.
    opening.catch((error: unknown) => {
      console.warn('could not open the camera and microphone ahead of the call', error);
      if (this.opening === opening) this.opening = null;
    });
  }

  /**
   * Hands the devices to the call, which owns them from now on: open and live, or freshly opened
   * when none were warm, they would not open, or one ended meanwhile (a USB replug).
   */
  take(): Promise<MediaStream> {
    const opening = this.opening;
    this.opening = null;
    if (!opening) return captureCameraAndMicrophone();
    return opening.then(
      (stream) => {
        if (stream.getTracks().every((track) => track.readyState === 'live')) return stream;
        stopAll(stream);
        return captureCameraAndMicrophone();
      },
      () => captureCameraAndMicrophone(),
    );
  }

  /** Closes devices no call took; safe when none are open. */
  release(): void {
    const opening = this.opening;
    this.opening = null;
    opening?.then(stopAll, () => undefined);
  }
}

function stopAll(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
