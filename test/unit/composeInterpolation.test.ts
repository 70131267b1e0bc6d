/**
 * The compose v1 copy of docker-compose.yml: a variable inside another's default is resolved
 * beforehand, as compose v2 would resolve it; every other expression, secrets among them, is left
 * for compose itself.
 */
import { readFileSync } from 'node:fs';
import { resolveNestedDefaults } from '../../scripts/composeInterpolation.js';

const TURN_URLS = '${BILIK_TURN_URLS:-turn:${BILIK_PUBLIC_IP:-127.0.0.1}:3478?transport=udp}';

test("a variable in another's default takes its value, or its own default when unset or empty", () => {
  expect(resolveNestedDefaults(TURN_URLS, {})).toBe('${BILIK_TURN_URLS:-turn:127.0.0.1:3478?transport=udp}');
  expect(resolveNestedDefaults(TURN_URLS, { BILIK_PUBLIC_IP: '' })).toBe('${BILIK_TURN_URLS:-turn:127.0.0.1:3478?transport=udp}');
  expect(resolveNestedDefaults(TURN_URLS, { BILIK_PUBLIC_IP: '10.9.8.7' })).toBe('${BILIK_TURN_URLS:-turn:10.9.8.7:3478?transport=udp}');
});

test('`-` without a colon keeps an empty value; a plain variable inside becomes its value', () => {
  expect(resolveNestedDefaults('${A:-x${B-fallback}y}', { B: '' })).toBe('${A:-xy}');
  expect(resolveNestedDefaults('${A:-x${B}y}', { B: 'b' })).toBe('${A:-xby}');
});

test('a top-level expression is left for compose, so secrets never reach the copy', () => {
  const text = 'password: ${POSTGRES_PASSWORD:?set it}\nsecret: ${TURN_SECRET}\n';
  expect(resolveNestedDefaults(text, { POSTGRES_PASSWORD: 'p', TURN_SECRET: 's' })).toBe(text);
});

test('a `$` in a resolved value is escaped, so compose reads it as a `$`', () => {
  expect(resolveNestedDefaults('${A:-${B}}', { B: 'a$b' })).toBe('${A:-a$$b}');
});

test('the compose file itself: only its nested defaults change', () => {
  const text = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
  const resolved = resolveNestedDefaults(text, {});
  expect(resolved).toContain('TURN_URLS: ${BILIK_TURN_URLS:-turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp}');
  expect(resolved).toContain('RTC_ANNOUNCED_IP: ${BILIK_PUBLIC_IP:-127.0.0.1}');
  expect(resolved).toContain('${POSTGRES_PASSWORD:?');
  expect(resolved).toContain('${TURN_SECRET}');
  expect(resolved.split('\n').length).toBe(text.split('\n').length);
});
