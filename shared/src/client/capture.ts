/** Opens the camera and microphone with the settings both ends of a call use. */
export function captureCameraAndMicrophone(): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
}

/** A short technical name for a capture failure, for branch staff rather than the user. */
export function describeCaptureError(error: unknown): string {
  if (error instanceof DOMException) return `${error.name}: ${error.message}`;
  // navigator.mediaDevices is undefined outside a secure context, which surfaces as a TypeError.
  return error instanceof Error ? error.message : String(error);
}
