/**
 * Type-level tests of `request`, checked by `npm run typecheck` (never run): each
 * `@ts-expect-error` fails the type-check as soon as the compiler accepts the line below it.
 */
import type { JourneyState } from '../journey.js';
import { request, type BoothSocket, type JourneySocket, type MediaSocket } from './request.js';

/** A request sends its namespace's events with their payloads, and resolves with their replies. */
export async function requestsFollowTheirNamespace(journey: JourneySocket, booth: BoothSocket, media: MediaSocket): Promise<void> {
  const state: JourneyState = await request(journey, 'journey:cancel', {});
  const { place }: { place: number } = await request(booth, 'attention:call', {});
  await request(media, 'transport:create', { direction: 'recv' });
  // @ts-expect-error attention:call is a /booth command, not a /journey one.
  await request(journey, 'attention:call', {});
  // @ts-expect-error a transport's direction is send or recv.
  await request(media, 'transport:create', { direction: 'sideways' });
  // @ts-expect-error journey:cancel resolves with a JourneyState, not a place.
  const wrong: { place: number } = await request(journey, 'journey:cancel', {});
  void [state, place, wrong];
}
