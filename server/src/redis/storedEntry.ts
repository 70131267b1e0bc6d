/**
 * Reading back a JSON entry this server wrote to Redis, through its zod schema. An entry may still
 * be corrupt (edited by hand, cut short, written by another version): it then reads as absent,
 * with a warning naming its key, so that one bad entry cannot break a desk or a visit's ending.
 * The value itself stays out of the log: it may describe a claimant.
 */
import type { z } from 'zod';
import { describeFirstIssue } from '../errors.js';
import type { Logger } from '../logger.js';

/** Where an entry is: its key, and its field in a hash or its index in a list. */
export interface StoredEntryPlace {
  key: string;
  field?: string;
}

/** `stored` parsed as JSON and checked by `schema`, or null (logged) when it is not what the schema says. */
export function parseStoredEntry<S extends z.ZodType>(
  schema: S,
  stored: string,
  place: StoredEntryPlace,
  logger: Logger,
): z.output<S> | null {
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    logger.warn({ ...place, problem: 'not JSON' }, 'corrupt Redis entry read as absent');
    return null;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  logger.warn({ ...place, problem: `not as expected${describeFirstIssue(parsed.error)}` }, 'corrupt Redis entry read as absent');
  return null;
}
