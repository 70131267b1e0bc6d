import { Device } from 'mediasoup-client';
import type { types as ms } from 'mediasoup-client';

/** The page's one loaded Device, with the router capabilities it was loaded for. */
let loaded: { capabilities: string; device: Promise<Device> } | undefined;

/**
 * A mediasoup Device loaded for `routerRtpCapabilities`, shared by every transport this page opens
 * to a router with those capabilities. Loading probes the browser with throw-away peer connections
 * (about 25 ms on an idle kiosk, 100 ms on a busy one); every router is made from the same codec
 * list, so the kiosk's self-test loads it once and a call, where both sides wait, starts without.
 * A failed load is forgotten, so the next call tries again.
 */
export function loadedDevice(routerRtpCapabilities: ms.RtpCapabilities): Promise<Device> {
  const capabilities = JSON.stringify(routerRtpCapabilities);
  if (loaded?.capabilities === capabilities) return loaded.device;
  const device = new Device();
  const loading = device.load({ routerRtpCapabilities }).then(() => device);
  const entry = { capabilities, device: loading };
  loaded = entry;
  loading.catch(() => {
    if (loaded === entry) loaded = undefined;
  });
  return loading;
}
