import { loadConfig } from './config.js';

const workerBin = process.execPath; // any executable file will do for parsing

describe('loadConfig', () => {
  test('embedded defaults: local HTTP, embedded Redis under ./data, a minute of grace, ten minutes of maximum wait', () => {
    const config = loadConfig({ MEDIASOUP_WORKER_BIN: workerBin });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, tls: null, allowedOrigins: [] });
    expect(config.redis).toEqual({ embedded: { port: 6390, serverBin: 'redis-server', dataDir: expect.stringMatching(/data\/redis$/) } });
    expect(config.scheduler).toEqual({ graceMs: 60_000, wrapUpMs: 0, maxWaitMs: 600_000, timeZone: 'Asia/Jakarta' });
    expect(config.demoSeed).toBe(true);
    expect(Object.isFrozen(config.mediasoup)).toBe(true);
  });

  test('production seeds no demo unless asked to', () => {
    const production = loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, NODE_ENV: 'production' });
    expect(production.demoSeed).toBe(false);
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, NODE_ENV: 'production', DEMO_SEED: 'on' }).demoSeed).toBe(true);
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, DEMO_SEED: 'off' }).demoSeed).toBe(false);
  });

  test('the scheduler takes seconds and minutes, and refuses an unknown time zone', () => {
    const config = loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, GRACE_SECONDS: '5', WRAP_UP_SECONDS: '30', MAX_WAIT_MINUTES: '15', TIME_ZONE: 'Asia/Makassar' });
    expect(config.scheduler).toEqual({ graceMs: 5000, wrapUpMs: 30_000, maxWaitMs: 900_000, timeZone: 'Asia/Makassar' });
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TIME_ZONE: 'Jakarta' })).toThrow(/TIME_ZONE/);
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, GRACE_SECONDS: '-1' })).toThrow(/GRACE_SECONDS/);
  });

  test('sessions and lock-out have sensible defaults and take minutes and hours', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin }).auth).toEqual({
      session: { idleTimeoutMs: 30 * 60_000, maxAgeMs: 12 * 3_600_000 },
      lockOut: { maxFailures: 5, lockMs: 15 * 60_000 },
    });
    const custom = loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, SESSION_MAX_HOURS: '0.001', SIGNIN_MAX_FAILURES: '3' });
    expect(custom.auth.session.maxAgeMs).toBeCloseTo(3600);
    expect(custom.auth.lockOut.maxFailures).toBe(3);
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, SIGNIN_MAX_FAILURES: '0' })).toThrow(/SIGNIN_MAX_FAILURES/);
  });

  test('REDIS_URL switches to an external Redis', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, REDIS_URL: 'redis://cache:6379' }).redis).toEqual({ url: 'redis://cache:6379' });
  });

  test('every bad variable is named in one message', () => {
    const message = messageOf(() => loadConfig({ MEDIASOUP_WORKER_BIN: '/nonexistent/worker', PORT: 'eighty', LOG_LEVEL: 'loud' }));
    expect(message).toContain('MEDIASOUP_WORKER_BIN does not name an executable file');
    expect(message).toMatch(/^  PORT /m);
    expect(message).toMatch(/^  LOG_LEVEL /m);
  });

  test('a port range that runs backwards is refused', () => {
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, RTC_MIN_PORT: '50000', RTC_MAX_PORT: '40000' })).toThrow(
      /RTC_MIN_PORT must not be greater than RTC_MAX_PORT/,
    );
  });

  test('a missing worker binary says how to get one', () => {
    expect(() => loadConfig({})).toThrow(/MEDIASOUP_WORKER_BIN is not set: start the server with `npm start`/);
  });

  test('TLS needs both the certificate and the key', () => {
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TLS_CERT_FILE: '/etc/cert.pem' })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE must be set together/);
  });
});

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}
