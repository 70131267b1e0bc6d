// The settings both ends of a call open their devices with, and open them again with after one went away.
const CAMERA: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } };
const MICROPHONE: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/** Opens the camera and microphone with the settings both ends of a call use. */
export function captureCameraAndMicrophone(): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({ video: CAMERA, audio: MICROPHONE });
}

/** Opens only the camera ('video') or only the microphone ('audio') again, with the same settings. */
export async function captureTrack(kind: 'audio' | 'video'): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia(kind === 'video' ? { video: CAMERA } : { audio: MICROPHONE });
  return stream.getTracks()[0]!;
}
