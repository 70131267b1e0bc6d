/**
 * A hook in the test, not in the app: every stream a page opens with getUserMedia is recorded,
 * so the test can end its camera as a sleeping kiosk or an unplugged device would, and can make
 * the camera refuse to open again, as one that is gone for good does.
 */
import type { Page } from 'puppeteer-core';

interface CapturedDevices {
  /** Every stream getUserMedia gave the page, in order. */
  streams: MediaStream[];
  /** Set by the test: from now on opening a camera fails with NotReadableError. */
  cameraGone: boolean;
}

/** Records the streams the page opens (see `endCamera`, `cameraOpenings`, `cameraGone`). */
export async function recordCapturedDevices(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const devices: CapturedDevices = { streams: [], cameraGone: false };
    (window as unknown as { __devices: CapturedDevices }).__devices = devices;
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      if (constraints?.video && devices.cameraGone) throw new DOMException('Could not start video source', 'NotReadableError');
      const stream = await open(constraints);
      devices.streams.push(stream);
      return stream;
    };
  });
}

/** Stops every live camera track the page has opened, from the page's side; returns how many it stopped. */
export function endCamera(page: Page): Promise<number> {
  return page.evaluate(() => {
    // A reopened track sits in its own stream and in the call's (the kiosk adds it there): count it once.
    const tracks = new Set(
      (window as unknown as { __devices: CapturedDevices }).__devices.streams.flatMap((stream) => stream.getVideoTracks()),
    );
    const live = [...tracks].filter((track) => track.readyState === 'live');
    for (const track of live) track.stop();
    return live.length;
  });
}

/** How many times the page has opened its camera so far. */
export function cameraOpenings(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (window as unknown as { __devices: CapturedDevices }).__devices.streams.filter((stream) => stream.getVideoTracks().length > 0).length,
  );
}

/** Makes every later attempt of the page to open a camera fail, as with a camera unplugged for good. */
export async function makeCameraGone(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __devices: CapturedDevices }).__devices.cameraGone = true;
  });
}

/**
 * Whether the page's newest camera track is live and is what it sends and shows: the track of a
 * video sender of one of its peer connections, and the track of its self-view.
 */
export function sendsNewestCamera(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const cameras = (window as unknown as { __devices: CapturedDevices }).__devices.streams.flatMap((stream) => stream.getVideoTracks());
    const newest = cameras.at(-1);
    if (!newest || newest.readyState !== 'live') return false;
    const connections = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    const sent = connections.some((connection) => connection.getSenders().some((sender) => sender.track === newest));
    const selfView = document.querySelector<HTMLVideoElement>('[data-testid="self-view"]')?.srcObject;
    const shown = selfView instanceof MediaStream && selfView.getVideoTracks()[0] === newest;
    return sent && shown;
  });
}

/** How many of the camera tracks the page has opened are live now. */
export function liveCameras(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (window as unknown as { __devices: CapturedDevices }).__devices.streams
        .flatMap((stream) => stream.getVideoTracks())
        .filter((track) => track.readyState === 'live').length,
  );
}
