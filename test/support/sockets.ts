/**
 * Waiting on socket.io clients' handshakes in tests: accepted, refused (with the server's error
 * code), or closed later by the server.
 */
import type { Socket } from 'socket.io-client';

/** Resolves when the handshake is accepted; rejects when it is refused. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** Resolves with the refused handshake's error (its code in `data.error`); rejects if it is accepted. */
export function refused(socket: Socket): Promise<{ message: string; data?: { error?: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the connection was accepted')));
    socket.once('connect_error', (error) => resolve(error as { message: string; data?: { error?: string } }));
  });
}

/** Resolves with the reason once the socket disconnects. */
export function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}
