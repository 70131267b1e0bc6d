/**
 * Ids and usernames as every part of the server accepts them: configuration, stores, routes. The
 * migrations check the same patterns in the database.
 */
import { z } from 'zod';

/** Booth, branch and participant ids. */
export const identifierSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _');

/** Usernames are stored in lower case; see normalisedUsernameSchema for what people type. */
export const MAX_USERNAME_LENGTH = 64;
export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9._-]{3,64}$/, "must be 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'");
