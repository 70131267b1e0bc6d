import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createLogger } from '../../server/src/logger.js';
import { connectRedis, RedisPolicyError } from '../../server/src/redis/connectRedis.js';
import { freePort, waitFor } from '../support/testServer.js';

test('an external Redis that may evict keys is refused at start-up', async () => {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--maxmemory-policy', 'allkeys-lru'], {
    stdio: 'ignore',
  });
  try {
    await waitFor('redis to listen', async () => {
      try {
        const probe = await connectRedis(`redis://127.0.0.1:${port}`, createLogger('silent'));
        probe.disconnect();
        return true;
      } catch (error) {
        return error instanceof RedisPolicyError;
      }
    });
    await expect(connectRedis(`redis://127.0.0.1:${port}`, createLogger('silent'))).rejects.toThrow(/maxmemory-policy is 'allkeys-lru'/);
  } finally {
    redis.kill('SIGTERM');
    await once(redis, 'exit');
  }
});
