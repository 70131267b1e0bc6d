import { loadConfig } from './config.js';

const workerBin = process.execPath; // any executable file will do for parsing

describe('loadConfig', () => {
  test('embedded defaults: local HTTP, embedded Redis under ./data, a development desk of six booths', () => {
    const config = loadConfig({ MEDIASOUP_WORKER_BIN: workerBin });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, tls: null, allowedOrigins: [] });
    expect(config.redis).toEqual({ embedded: { port: 6390, serverBin: 'redis-server', dataDir: expect.stringMatching(/data\/redis$/) } });
    expect(config.devDesk).toEqual({
      officerId: 'petugas-1',
      boothIds: ['bilik-1', 'bilik-2', 'bilik-3', 'bilik-4', 'bilik-5', 'bilik-6'],
      capacity: 6,
    });
    expect(Object.isFrozen(config.mediasoup)).toBe(true);
  });

  test('production has no development desk', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, NODE_ENV: 'production' }).devDesk).toBeNull();
  });

  test('the development desk takes a list of booths and a capacity of 4 to 6', () => {
    const config = loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, DEV_DESK_BOOTHS: ' a, b ,c', DEV_DESK_CAPACITY: '4' });
    expect(config.devDesk).toMatchObject({ boothIds: ['a', 'b', 'c'], capacity: 4 });
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, DEV_DESK_CAPACITY: '7' })).toThrow(/DEV_DESK_CAPACITY/);
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, DEV_DESK_BOOTHS: 'ok,not ok' })).toThrow(/DEV_DESK_BOOTHS/);
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
