/** What compose v1 cannot interpolate in docker-compose.yml, resolved beforehand (see composeStack.ts). */

/** `${NAME}`, `${NAME-default}` or `${NAME:-default}` with no expression inside. */
const SIMPLE_VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^${}]*))?\}/g;

/**
 * Compose v1 cannot interpolate a variable inside another's default, as in the file's
 * `${BILIK_TURN_URLS:-turn:${BILIK_PUBLIC_IP:-127.0.0.1}:3478...}` (v2 can): it ends the outer
 * expression at the first `}` and hands the servers a broken TURN_URLS. So in v1's copy the
 * expressions inside another's default are resolved here, from `env`, as compose would; the rest
 * (secrets included) stay for compose to resolve, and out of the file.
 */
export function resolveNestedDefaults(text: string, env: NodeJS.ProcessEnv): string {
  let result = '';
  let position = 0;
  for (;;) {
    const start = text.indexOf('${', position);
    if (start < 0) return result + text.slice(position);
    // The `}` closing this expression, counting the ones of expressions inside it.
    let depth = 0;
    let end = -1;
    for (let i = start; i < text.length && end < 0; i++) {
      if (text.startsWith('${', i)) {
        depth += 1;
        i += 1;
      } else if (text[i] === '}' && --depth === 0) {
        end = i;
      }
    }
    // Unbalanced: compose's error to report, not ours.
    if (end < 0) return result + text.slice(position);
    const resolve = (_expression: string, name: string, operator: string | undefined, fallback: string | undefined): string => {
      const value = env[name];
      const resolved = operator === ':-' ? value || (fallback ?? '') : operator === '-' ? (value ?? fallback ?? '') : (value ?? '');
      // A `$` in a value would start an expression of its own for compose.
      return resolved.replaceAll('$', '$$$$');
    };
    const body = text.slice(start + 2, end).replace(SIMPLE_VARIABLE, resolve);
    result += `${text.slice(position, start)}\${${body}}`;
    position = end + 1;
  }
}
