/**
 * A fixed-window rate limiter kept in Redis, so every server process counts against the same
 * limit. Subjects (IPs, usernames) are hashed before they become part of a key, because keys
 * are visible to anyone with Redis access and subjects are personal data.
 */
import type express from 'express';
import type { Redis } from 'ioredis';
import { sha256Hex } from '../hashing.js';

/** A limit on how often one subject may do one thing. */
export interface RateLimitRule {
  /** e.g. 'signin-ip' — part of the Redis key */
  name: string;
  /** max hits per window */
  limit: number;
  windowMs: number;
}

/** The outcome of counting one hit. */
export interface RateLimitVerdict {
  allowed: boolean;
  /** hits counted in the current window, including this one */
  count: number;
  /** ms until the window resets */
  retryAfterMs: number;
}

// One script, so the increment and the expiry are atomic across processes: a window always
// ends, even if a process dies between the two, and a hit never extends it.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return { count, redis.call('PTTL', KEYS[1]) }
`;

/** Counts hits per rule and subject in Redis. */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 'bilik:ratelimit:',
  ) {}

  /** Counts one hit for `subject` (an IP, a username...) under `rule`; atomic across processes. */
  async hit(rule: RateLimitRule, subject: string): Promise<RateLimitVerdict> {
    const [count, retryAfterMs] = (await this.redis.eval(HIT_SCRIPT, 1, this.keyOf(rule, subject), rule.windowMs)) as [number, number];
    return { allowed: count <= rule.limit, count, retryAfterMs };
  }

  /** Forgets the hits of `subject` (e.g. after a successful sign-in). */
  async reset(rule: RateLimitRule, subject: string): Promise<void> {
    await this.redis.del(this.keyOf(rule, subject));
  }

  private keyOf(rule: RateLimitRule, subject: string): string {
    const subjectHash = sha256Hex(subject).slice(0, 32);
    return `${this.keyPrefix}${rule.name}:${subjectHash}`;
  }
}

/** How a route answers a request over its limit, after the Retry-After header is set. */
export type LimitedAnswer = (request: express.Request, response: express.Response, retryAfterSeconds: number) => void;

const answerInJson: LimitedAnswer = (_request, response, retryAfterSeconds) => {
  response.json({ ok: false, error: 'RATE_LIMITED', message: `Too many attempts; try again in ${retryAfterSeconds} s` });
};

/**
 * Express middleware: when `subjectOf(request)` exceeded `rule`, answers 429 with a Retry-After
 * header (seconds, rounded up) and, unless the route answers otherwise, the JSON body
 * { ok: false, error: 'RATE_LIMITED', message }.
 */
export function rateLimit(
  limiter: RateLimiter,
  rule: RateLimitRule,
  subjectOf: (request: express.Request) => string,
  answer: LimitedAnswer = answerInJson,
): express.RequestHandler {
  return async (request, response, next) => {
    let verdict: RateLimitVerdict;
    try {
      verdict = await limiter.hit(rule, subjectOf(request));
    } catch (error) {
      // The app's error handler decides what a Redis outage means for this route.
      next(error);
      return;
    }
    if (verdict.allowed) {
      next();
      return;
    }
    const retryAfterSeconds = Math.ceil(verdict.retryAfterMs / 1000);
    response.status(429).set('Retry-After', String(retryAfterSeconds));
    answer(request, response, retryAfterSeconds);
  };
}
