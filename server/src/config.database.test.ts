import { describeConfig, loadConfig, loadFleetConfig } from './config.js';

const workerBin = process.execPath; // any executable file will do for parsing

describe('database configuration', () => {
  test('without DATABASE_URL the server uses the embedded database in DATA_DIR/pglite', () => {
    expect(loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, DATA_DIR: '/srv/bilik' }).database).toEqual({
      embedded: { dataDir: '/srv/bilik/pglite' },
    });
  });

  test('DATABASE_URL switches to PostgreSQL, and its password is redacted when the configuration is printed', () => {
    const config = loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, DATABASE_URL: ' postgresql://bilik:s3cret@db:5432/bilik ' });
    expect(config.database).toEqual({ url: 'postgresql://bilik:s3cret@db:5432/bilik' });
    expect(JSON.stringify(describeConfig(config))).not.toContain('s3cret');
    expect(describeConfig(config)).toMatchObject({ database: { url: 'postgresql://bilik:***@db:5432/bilik' } });
  });

  test('a DATABASE_URL that is not a PostgreSQL URL is refused by name', () => {
    expect(() => loadConfig({ MEDIASOUP_WORKER_BIN: workerBin, DATABASE_URL: 'mysql://db/bilik' })).toThrow(
      /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => loadFleetConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL must be/);
  });

  test('the fleet CLI needs no mediasoup worker, and takes BILIK_ADMIN_PASSWORD as given, spaces included', () => {
    const config = loadFleetConfig({ DATA_DIR: '/srv/bilik', BILIK_ADMIN_PASSWORD: '  spaced password  ' });
    expect(config).toEqual({
      logLevel: 'warn',
      dataDir: '/srv/bilik',
      database: { embedded: { dataDir: '/srv/bilik/pglite' } },
      adminPassword: '  spaced password  ',
    });
    expect(loadFleetConfig({ BILIK_ADMIN_PASSWORD: '' }).adminPassword).toBeUndefined();
    expect(loadFleetConfig({ DATABASE_URL: 'postgres://db/bilik' }).database).toEqual({ url: 'postgres://db/bilik' });
  });
});
