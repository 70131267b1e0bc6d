import { describeConfig, describeWorkerConfig, loadConfig, loadWorkerConfig } from './config.js';

const workerBin = process.execPath; // any executable file will do for parsing

describe('loadConfig', () => {
  test('embedded defaults: local HTTP, embedded Redis under ./data, a minute of grace, ten minutes of maximum wait', () => {
    const config = loadConfig({ MEDIASOUP_WORKER_BIN: workerBin });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, tls: null, allowedOrigins: [], trustedProxies: 0 });
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
    const config = loadConfig({
      MEDIASOUP_WORKER_BIN: workerBin,
      GRACE_SECONDS: '5',
      WRAP_UP_SECONDS: '30',
      MAX_WAIT_MINUTES: '15',
      TIME_ZONE: 'Asia/Makassar',
    });
    expect(config.scheduler).toEqual({ graceMs: 5000, wrapUpMs: 30_000, maxWaitMs: 900_000, timeZone: 'Asia/Makassar' });
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TIME_ZONE: 'Jakarta' })).toThrow(/TIME_ZONE/);
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, GRACE_SECONDS: '-1' })).toThrow(/GRACE_SECONDS/);
  });

  test('a help request nobody cleared lasts 30 minutes unless HELP_REQUEST_MINUTES says otherwise', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin }).help).toEqual({ requestLifetimeMs: 1_800_000 });
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, HELP_REQUEST_MINUTES: '0.5' }).help).toEqual({ requestLifetimeMs: 30_000 });
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, HELP_REQUEST_MINUTES: '0' })).toThrow(/HELP_REQUEST_MINUTES/);
  });

  test('a server process holds its presence lease for 15 s unless PRESENCE_LEASE_SECONDS says otherwise (1 to 300)', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin }).presence).toEqual({ leaseMs: 15_000 });
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, PRESENCE_LEASE_SECONDS: '2' }).presence).toEqual({ leaseMs: 2000 });
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, PRESENCE_LEASE_SECONDS: '0.5' })).toThrow(/PRESENCE_LEASE_SECONDS/);
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, PRESENCE_LEASE_SECONDS: '301' })).toThrow(/PRESENCE_LEASE_SECONDS/);
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

  test("the public tracking page is this server's own unless PUBLIC_TRACKING_URL names an http(s) address", () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin }).publicTrackingUrl).toBeNull();
    expect(
      loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, PUBLIC_TRACKING_URL: 'https://bilik.example.go.id/lacak' }).publicTrackingUrl,
    ).toBe('https://bilik.example.go.id/lacak');
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, PUBLIC_TRACKING_URL: 'javascript:alert(1)' })).toThrow(
      /PUBLIC_TRACKING_URL/,
    );
  });

  test('REDIS_URL switches to an external Redis', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, REDIS_URL: 'redis://cache:6379' }).redis).toEqual({ url: 'redis://cache:6379' });
  });

  test('every bad variable is named in one message', () => {
    const message = messageOf(() => loadConfig({ MEDIASOUP_WORKER_BIN: '/nonexistent/worker', PORT: 'eighty', LOG_LEVEL: 'loud' }));
    expect(message).toContain('MEDIASOUP_WORKER_BIN does not name an executable file');
    expect(message).toMatch(/^ {2}PORT /m);
    expect(message).toMatch(/^ {2}LOG_LEVEL /m);
  });

  test('worker i receives WebRTC media on RTC_PORT + i (40000 by default), and every worker needs a port', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin }).mediasoup.rtcPort).toBe(40000);
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, RTC_PORT: '50000', MEDIASOUP_WORKERS: '4' }).mediasoup.rtcPort).toBe(50000);
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, RTC_PORT: '65532', MEDIASOUP_WORKERS: '4' }).mediasoup.rtcPort).toBe(65532);
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, RTC_PORT: '65533', MEDIASOUP_WORKERS: '4' })).toThrow(
      /RTC_PORT leaves no room for every worker: RTC_PORT \+ MEDIASOUP_WORKERS - 1 must not exceed 65535/,
    );
    for (const bad of ['0', '65536', '4000.5', 'high']) {
      expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, RTC_PORT: bad })).toThrow(/RTC_PORT/);
    }
  });

  test("a booth's uplink is uncapped by default; BOOTH_UPLINK_KBPS takes a whole number of kbit/s above 0", () => {
    const uplinkOf = (value: string | undefined) =>
      loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, BOOTH_UPLINK_KBPS: value }).mediasoup.boothUplinkKbps;
    expect(uplinkOf(undefined)).toBeNull();
    expect(uplinkOf('')).toBeNull();
    expect(uplinkOf(' 1000 ')).toBe(1000);
    expect(uplinkOf('1')).toBe(1);
    for (const bad of ['0', '-500', '1000.5', '1 Mbit/s', 'abc']) {
      expect(() => uplinkOf(bad)).toThrow(/BOOTH_UPLINK_KBPS must be a whole number of kbit\/s above 0, e\.g\. 1000/);
    }
  });

  test('the retired port range is refused with what to set instead, not silently ignored', () => {
    const message = messageOf(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, RTC_MIN_PORT: '40000', RTC_MAX_PORT: '49999' }));
    expect(message).toMatch(/^ {2}RTC_MIN_PORT is no longer used: .*set RTC_PORT instead$/m);
    expect(message).toMatch(/^ {2}RTC_MAX_PORT is no longer used: .*set RTC_PORT instead$/m);
  });

  test('a missing worker binary says how to get one', () => {
    expect(() => loadConfig({})).toThrow(/MEDIASOUP_WORKER_BIN is not set: start the server with `npm start`/);
  });

  test('TLS needs both the certificate and the key', () => {
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TLS_CERT_FILE: '/etc/cert.pem' })).toThrow(
      /TLS_CERT_FILE and TLS_KEY_FILE must be set together/,
    );
  });

  test("outcomes: a worker in the server by default, eight attempts from 2 s, BullMQ's lock timings, no forwarding", () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin }).outcomes).toEqual({
      embeddedWorker: true,
      attempts: 8,
      retryDelayMs: 2000,
      worker: { concurrency: 4, lockMs: 30_000, stalledIntervalMs: 30_000 },
      forward: null,
      reviewShare: 0.1,
    });
    const fast = loadConfig({
      MEDIASOUP_WORKER_BIN: workerBin,
      OUTCOME_WORKER_CONCURRENCY: '8',
      OUTCOME_JOB_LOCK_SECONDS: '1',
      OUTCOME_STALLED_CHECK_SECONDS: '0.5',
    });
    expect(fast.outcomes).toMatchObject({ embeddedWorker: true, worker: { concurrency: 8, lockMs: 1000, stalledIntervalMs: 500 } });
    expect(
      loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, OUTCOME_WORKER: 'off', DATABASE_URL: 'postgresql://db/bilik' }).outcomes.embeddedWorker,
    ).toBe(false);
    // With the embedded database nothing else could ever record them.
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, OUTCOME_WORKER: 'off' })).toThrow(
      /OUTCOME_WORKER may be off only with DATABASE_URL/,
    );
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, OUTCOME_WORKER_CONCURRENCY: '0' })).toThrow(/OUTCOME_WORKER_CONCURRENCY/);
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, OUTCOME_WORKER: 'maybe' })).toThrow(/OUTCOME_WORKER/);
  });

  test('TRUST_PROXY counts the reverse proxies in front (0 to 10, none by default)', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TRUST_PROXY: '1' }).http.trustedProxies).toBe(1);
    for (const bad of ['-1', '11', 'yes', '1.5']) {
      expect(messageOf(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TRUST_PROXY: bad }))).toMatch(/TRUST_PROXY/);
    }
  });

  test("MULTI_NODE is off by default; on, it needs a shared PostgreSQL and Redis, and DESK_LEASE_SECONDS sets how soon a dead node's desks move", () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin }).cluster).toEqual({ multiNode: false, deskLeaseMs: 5000 });
    const shared = { DATABASE_URL: 'postgresql://db/bilik', REDIS_URL: 'redis://redis:6379' };
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, MULTI_NODE: 'on', DESK_LEASE_SECONDS: '3', ...shared }).cluster).toEqual({
      multiNode: true,
      deskLeaseMs: 3000,
    });
    // The embedded PGlite and Redis are one process's own: other nodes could not share them.
    expect(messageOf(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, MULTI_NODE: 'on', REDIS_URL: shared.REDIS_URL }))).toMatch(
      /MULTI_NODE on needs DATABASE_URL: the embedded PGlite database lives in one node's data directory/,
    );
    expect(messageOf(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, MULTI_NODE: 'on', DATABASE_URL: shared.DATABASE_URL }))).toMatch(
      /MULTI_NODE on needs REDIS_URL/,
    );
    expect(messageOf(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, MULTI_NODE: 'yes', ...shared }))).toMatch(/MULTI_NODE/);
    expect(messageOf(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, DESK_LEASE_SECONDS: '0.5' }))).toMatch(/DESK_LEASE_SECONDS/);
  });

  test('REVIEW_SHARE is the fraction of approvals drawn for review, 0.1 by default, and anything but 0 to 1 stops start-up', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, REVIEW_SHARE: '0' }).outcomes.reviewShare).toBe(0);
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, REVIEW_SHARE: '1' }).outcomes.reviewShare).toBe(1);
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, REVIEW_SHARE: ' 0.25 ' }).outcomes.reviewShare).toBe(0.25);
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, REVIEW_SHARE: '' }).outcomes.reviewShare).toBe(0.1);
    for (const bad of ['1.5', '-0.1', 'sepuluh', '10%', 'NaN']) {
      expect(messageOf(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, REVIEW_SHARE: bad }))).toMatch(
        /REVIEW_SHARE must be a fraction from 0 to 1 of approved outcomes to review/,
      );
    }
    expect(loadWorkerConfig({ REVIEW_SHARE: '0.5' }).outcomes.reviewShare).toBe(0.5);
    expect(() => loadWorkerConfig({ REVIEW_SHARE: '2' })).toThrow(/REVIEW_SHARE/);
  });

  test('forwarding needs an http(s) URL and a secret of at least 32 characters, set together; the secret is never printed', () => {
    const secret = 'k'.repeat(32);
    const config = loadConfig({
      MEDIASOUP_WORKER_BIN: workerBin,
      OUTCOME_FORWARD_URL: 'https://klaim.example.go.id/hasil',
      OUTCOME_FORWARD_SECRET: secret,
    });
    expect(config.outcomes.forward).toEqual({ url: 'https://klaim.example.go.id/hasil', secret });
    expect(JSON.stringify(describeConfig(config))).not.toContain(secret);
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, OUTCOME_FORWARD_URL: 'https://klaim.example.go.id/hasil' })).toThrow(
      /OUTCOME_FORWARD_URL and OUTCOME_FORWARD_SECRET must be set together/,
    );
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, OUTCOME_FORWARD_SECRET: secret })).toThrow(/must be set together/);
    expect(() =>
      loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, OUTCOME_FORWARD_URL: 'ftp://klaim/hasil', OUTCOME_FORWARD_SECRET: secret }),
    ).toThrow(/OUTCOME_FORWARD_URL/);
    expect(() =>
      loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, OUTCOME_FORWARD_URL: 'https://klaim/hasil', OUTCOME_FORWARD_SECRET: 'pendek' }),
    ).toThrow(/OUTCOME_FORWARD_SECRET must be at least 32 characters/);
  });

  test('the metrics token is off by default, must be at least 32 characters, and is never printed', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin }).metrics).toEqual({ token: null, listen: null });
    const token = 'm'.repeat(32);
    const config = loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, METRICS_TOKEN: token });
    expect(config.metrics).toEqual({ token, listen: null });
    expect(JSON.stringify(describeConfig(config))).not.toContain(token);
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, METRICS_TOKEN: '' }).metrics).toEqual({ token: null, listen: null });
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, METRICS_TOKEN: 'pendek' })).toThrow(
      /METRICS_TOKEN must be at least 32 characters/,
    );
  });

  test('METRICS_LISTEN takes host:port (an IPv6 address in brackets), with or without a token, and refuses anything else', () => {
    const listenOn = (value: string) => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, METRICS_LISTEN: value }).metrics;
    expect(listenOn('127.0.0.1:9464')).toEqual({ token: null, listen: { host: '127.0.0.1', port: 9464 } });
    expect(listenOn(' [::1]:9464 ').listen).toEqual({ host: '::1', port: 9464 });
    expect(listenOn('metrics.internal:9464').listen).toEqual({ host: 'metrics.internal', port: 9464 });
    expect(listenOn('').listen).toBeNull();
    const token = 'm'.repeat(32);
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, METRICS_TOKEN: token, METRICS_LISTEN: '10.0.0.5:9464' }).metrics).toEqual({
      token,
      listen: { host: '10.0.0.5', port: 9464 },
    });
    for (const bad of [
      '9464',
      '127.0.0.1',
      '127.0.0.1:0',
      '127.0.0.1:65536',
      '::1:9464',
      '[nope]:9464',
      'http://127.0.0.1:9464',
      'a b:1',
    ]) {
      expect(() => listenOn(bad)).toThrow(/METRICS_LISTEN must be host:port/);
    }
  });

  test('TURN is off by default; turn: URLs need the shared secret, which is never printed, and relay needs a TURN URL', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin }).ice).toEqual({
      urls: [],
      secret: null,
      credentialTtlSeconds: 600,
      transportPolicy: 'all',
    });
    const secret = 's'.repeat(32);
    const config = loadConfig({
      MEDIASOUP_WORKER_BIN: workerBin,
      TURN_URLS: 'turn:turn.example.id:3478?transport=udp, turns:turn.example.id:443?transport=tcp',
      TURN_SECRET: secret,
      TURN_CREDENTIAL_SECONDS: '300',
      ICE_TRANSPORT_POLICY: 'relay',
    });
    expect(config.ice).toEqual({
      urls: ['turn:turn.example.id:3478?transport=udp', 'turns:turn.example.id:443?transport=tcp'],
      secret,
      credentialTtlSeconds: 300,
      transportPolicy: 'relay',
    });
    expect(JSON.stringify(describeConfig(config))).not.toContain(secret);
    // A STUN server needs no secret.
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TURN_URLS: 'stun:stun.example.id:3478' }).ice.urls).toEqual([
      'stun:stun.example.id:3478',
    ]);
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TURN_URLS: 'turn:turn.example.id:3478' })).toThrow(
      /TURN_SECRET must be set/,
    );
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TURN_URLS: 'https://turn.example.id', TURN_SECRET: secret })).toThrow(
      /TURN_URLS.*must be turn:, turns: or stun: URLs/,
    );
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, ICE_TRANSPORT_POLICY: 'relay' })).toThrow(
      /ICE_TRANSPORT_POLICY relay needs/,
    );
    expect(() =>
      loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, TURN_URLS: 'turn:t.example.id', TURN_SECRET: secret, TURN_CREDENTIAL_SECONDS: '5' }),
    ).toThrow(/TURN_CREDENTIAL_SECONDS/);
  });
});

describe('loadWorkerConfig', () => {
  test("needs no mediasoup setting; without REDIS_URL it uses the server's embedded Redis; Redis passwords are never printed", () => {
    const config = loadWorkerConfig({ OUTCOME_JOB_ATTEMPTS: '3' });
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6390', embedded: true });
    expect(config.outcomes.attempts).toBe(3);
    expect(config.database).toEqual({ embedded: { dataDir: expect.stringMatching(/data\/pglite$/) } });
    const external = loadWorkerConfig({ REDIS_URL: 'redis://:rahasia@cache:6379', DATABASE_URL: 'postgresql://bilik:sandi@db/bilik' });
    expect(external.redis).toEqual({ url: 'redis://:rahasia@cache:6379', embedded: false });
    const printed = JSON.stringify(describeWorkerConfig(external));
    expect(printed).not.toContain('rahasia');
    expect(printed).not.toContain('sandi');
    expect(() => loadWorkerConfig({ OUTCOME_JOB_ATTEMPTS: 'delapan' })).toThrow(/OUTCOME_JOB_ATTEMPTS/);
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
