const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The id named `name` in the page's query, `fallback` when absent, or null when it is not a valid id. */
export function readIdParam(search: string, name: string, fallback: string): string | null {
  const value = new URLSearchParams(search).get(name) ?? fallback;
  return ID_PATTERN.test(value) ? value : null;
}
