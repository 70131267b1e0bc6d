/**
 * A corrupt entry in Redis (not JSON, or JSON of the wrong shape) reads as absent, with a warning
 * naming its key, instead of throwing: a visit's liveness challenges, the claimant's decision
 * notice and an officer's unfiled wrap-up visits, against a real Redis and a real database.
 */
import { randomUUID } from 'node:crypto';
import type { RecordedLivenessChallenge } from '@bilik/shared';
import type { Database } from '../../server/src/db/database.js';
import { LivenessChallenges, livenessKey, verdictsKey } from '../../server/src/liveness/livenessChallenges.js';
import { createLogger } from '../../server/src/logger.js';
import { DecisionNotices } from '../../server/src/tracking/decisionNotices.js';
import { WrapUpCodes } from '../../server/src/wrapUp/wrapUpCodes.js';
import { WrapUps } from '../../server/src/wrapUp/wrapUps.js';
import { pgliteTarget, type FreshDatabase } from './databaseTargets.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

/** A warning as the server logs it (pino's JSON line). */
interface Logged {
  level: number;
  msg: string;
  key?: string;
  field?: string;
  problem?: string;
}

const WARN = 40;
const logged: Logged[] = [];
const logger = createLogger('warn', { destination: { write: (line: string) => void logged.push(JSON.parse(line) as Logged) } });

let redis: TestRedis;
let fresh: FreshDatabase;
let db: Database;

beforeAll(async () => {
  redis = await startTestRedis();
  fresh = await pgliteTarget.fresh();
  db = await fresh.open();
});

afterAll(async () => {
  await db?.close();
  await fresh?.dispose();
  await redis?.stop();
});

beforeEach(() => {
  logged.length = 0;
});

/** The warnings about corrupt entries, as `key field: problem`. */
function corruptWarnings(): string[] {
  return logged
    .filter((line) => line.level === WARN && line.msg === 'corrupt Redis entry read as absent')
    .map((line) => `${line.key}${line.field === undefined ? '' : ` ${line.field}`}: ${line.problem}`);
}

test("a visit's corrupt liveness challenges are left out, the others kept in order, each left out one named in a warning; a corrupt verdict reads as none", async () => {
  const challenges = new LivenessChallenges(redis.client, logger);
  const key = livenessKey('kunjungan-rusak');
  const first = await challenges.issue('kunjungan-rusak', { kind: 'digits', digits: '1234' });
  await challenges.judge('kunjungan-rusak', first.challengeId, 'passed');
  await redis.client.rpush(key, '{"challengeId":', JSON.stringify({ challengeId: 'bukan-uuid', issuedAt: 1, task: { kind: 'x' } }));
  const last = await challenges.issue('kunjungan-rusak', { kind: 'gesture', gesture: 'look_up' });
  await redis.client.hset(verdictsKey('kunjungan-rusak'), last.challengeId, 'maybe');

  expect(await challenges.recordedFor('kunjungan-rusak')).toEqual<RecordedLivenessChallenge[]>([
    { ...first, verdict: 'passed' },
    { ...last, verdict: null },
  ]);
  expect(corruptWarnings()).toEqual([
    `${key} 1: not JSON`,
    expect.stringMatching(new RegExp(`^${key} 2: not as expected`)),
    `${verdictsKey('kunjungan-rusak')} ${last.challengeId}: not a verdict`,
  ]);
});

test('a corrupt decision notice reads as no decision, with a warning; a good one reads back', async () => {
  const notices = new DecisionNotices(redis.client, logger);
  await redis.client.set('bilik:decision-notice:kunjungan-a', 'approved');
  await redis.client.set('bilik:decision-notice:kunjungan-b', JSON.stringify({ decision: 'maybe', missingDocuments: [] }));
  await notices.remember('kunjungan-c', { decision: 'incomplete', missingDocuments: ['ktp'] });

  expect(await notices.of('kunjungan-a')).toBeNull();
  expect(await notices.of('kunjungan-b')).toBeNull();
  expect(await notices.of('kunjungan-c')).toEqual({ decision: 'incomplete', missingDocuments: ['ktp'] });
  expect(corruptWarnings()).toEqual([
    'bilik:decision-notice:kunjungan-a: not JSON',
    expect.stringMatching(/^bilik:decision-notice:kunjungan-b: not as expected at decision/),
  ]);
});

test("an officer's corrupt unfiled visit is no visit to file: filing it is refused as not waiting, and the wrap-up timer passes over it", async () => {
  const wrapUps = new WrapUps(redis.client, db, new WrapUpCodes(db), logger);
  const key = 'bilik:wrapup:petugas-rusak';
  await redis.client.hset(key, 'kunjungan-x', '{"visitId":"kunjungan-x"', 'kunjungan-y', JSON.stringify({ visitId: 'kunjungan-y' }));

  await expect(wrapUps.file('petugas-rusak', 'kunjungan-x', randomUUID())).rejects.toMatchObject({ code: 'INVALID_STATE' });
  // Never throws; it would have stopped at the first entry before.
  await wrapUps.fileDefaults([{ type: 'wrapUpEnded', officerId: 'petugas-rusak' }]);
  expect(logged.filter((line) => line.msg === 'could not file default wrap-up codes')).toEqual([]);
  expect(corruptWarnings()).toEqual([
    `${key} kunjungan-x: not JSON`,
    `${key} kunjungan-x: not JSON`,
    expect.stringMatching(new RegExp(`^${key} kunjungan-y: not as expected at boothId`)),
  ]);
  // Left to expire with its key: nothing was filed or deleted.
  expect(await redis.client.hlen(key)).toBe(2);
});
