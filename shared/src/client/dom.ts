/** A finder for the elements index.html marks with `data-testid`, typed by the caller. */
export type TestIdFinder = <T extends HTMLElement>(testId: string) => T;

/** Finds elements of `doc` by their `data-testid`; a missing one is a broken page and throws. */
export function byTestId(doc: Document): TestIdFinder {
  return <T extends HTMLElement>(testId: string): T => {
    const element = doc.querySelector<T>(`[data-testid="${testId}"]`);
    if (!element) throw new Error(`index.html lacks data-testid="${testId}"`);
    return element;
  };
}
