import type { BoothStatus } from '@bilik/shared/fleet';
import { summarizeFleet } from './fleetSummary.js';

test('the summary counts faulty, offline, serving and out-of-service booths among all', () => {
  const statuses: BoothStatus[] = ['fault', 'fault', 'offline', 'in_session', 'online', 'waiting', 'out_of_service', 'revoked'];
  expect(summarizeFleet(statuses.map((status) => ({ status })))).toEqual({
    total: 8,
    fault: 2,
    offline: 1,
    inSession: 1,
    outOfService: 1,
  });
});

test('an empty branch counts nothing', () => {
  expect(summarizeFleet([])).toEqual({ total: 0, fault: 0, offline: 0, inSession: 0, outOfService: 0 });
});
