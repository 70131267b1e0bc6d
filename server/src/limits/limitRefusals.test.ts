import { Writable } from 'node:stream';
import { createLogger } from '../logger.js';
import { Metrics } from '../metrics.js';
import { LimitRefusals } from './limitRefusals.js';

/** A real pino logger writing into an array, and a real metrics registry. */
function setUp() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger('info', { destination });
  const metrics = new Metrics(logger);
  let now = 0;
  const refusals = new LimitRefusals(metrics.limitRefusals, logger, () => now);
  const counted = async (limit: string) => (await metrics.limitRefusals.get()).values.find((value) => value.labels.limit === limit)?.value;
  return { lines, refusals, counted, advance: (ms: number) => (now += ms) };
}

test('a flood of refusals of one caller at one cap is counted in full and logged once, with the caller named by id', async () => {
  const { lines, refusals, counted } = setUp();
  const record = refusals.forCaller({ boothId: 'bilik-1' });
  for (let index = 0; index < 1000; index += 1) record('transports');
  expect(await counted('transports')).toBe(1000);
  expect(await counted('producers')).toBe(0);
  expect(lines).toEqual([
    expect.objectContaining({ level: 40, module: 'limits', limit: 'transports', boothId: 'bilik-1', refusedSinceLastLog: 0 }),
  ]);
});

test('another caller or another cap is logged on its own; a caller still refused ten minutes later is logged again with the count since', async () => {
  const { lines, refusals, advance } = setUp();
  refusals.record('sockets', { boothId: 'bilik-1' });
  refusals.record('sockets', { accountId: 'petugas-1' });
  refusals.record('probes', { boothId: 'bilik-1' });
  refusals.record('sockets', { boothId: 'bilik-1' });
  expect(lines.map(({ limit, boothId, accountId }) => ({ limit, boothId, accountId }))).toEqual([
    { limit: 'sockets', boothId: 'bilik-1', accountId: undefined },
    { limit: 'sockets', boothId: undefined, accountId: 'petugas-1' },
    { limit: 'probes', boothId: 'bilik-1', accountId: undefined },
  ]);
  advance(10 * 60_000);
  refusals.record('sockets', { boothId: 'bilik-1' });
  expect(lines).toHaveLength(4);
  expect(lines[3]).toMatchObject({ limit: 'sockets', boothId: 'bilik-1', refusedSinceLastLog: 1 });
});
