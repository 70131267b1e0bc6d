/** A finder for the elements index.html marks with `data-testid`, typed by the caller. */
export type TestIdFinder = <T extends HTMLElement>(testId: string) => T;

/** Finds elements of `doc` by their `data-testid`; a missing one is a broken page and throws. */
export function byTestId(doc: Document): TestIdFinder {
  return finder(doc, 'data-testid');
}

/** Finds the parts of a template's copy by their `data-part`; a missing one is a broken template and throws. */
export function byPart(root: ParentNode): TestIdFinder {
  return finder(root, 'data-part');
}

function finder(root: ParentNode, attribute: string): TestIdFinder {
  return <T extends HTMLElement>(name: string): T => {
    const element = root.querySelector<T>(`[${attribute}="${name}"]`);
    if (!element) throw new Error(`the page lacks ${attribute}="${name}"`);
    return element;
  };
}

/** A copy of the first element of the page's `<template data-template="name">`, to fill in and show. */
export function fromTemplate<T extends HTMLElement>(doc: Document, name: string): T {
  const template = doc.querySelector<HTMLTemplateElement>(`template[data-template="${name}"]`);
  const element = template?.content.firstElementChild?.cloneNode(true);
  if (!(element instanceof HTMLElement)) throw new Error(`the page lacks <template data-template="${name}">`);
  return element as T;
}

/** What an element made by `element()` starts with. */
export interface ElementOptions {
  className?: string;
  testId?: string;
  text?: string;
  title?: string;
  /** Other attributes, e.g. `role` or `aria-label`. */
  attributes?: Record<string, string>;
}

/** Makes an element of `doc` with these options and children. */
export function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  options: ElementOptions = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const created = doc.createElement(tag);
  if (options.className) created.className = options.className;
  if (options.testId) created.dataset.testid = options.testId;
  if (options.text !== undefined) created.textContent = options.text;
  if (options.title !== undefined) created.title = options.title;
  for (const [name, value] of Object.entries(options.attributes ?? {})) created.setAttribute(name, value);
  created.append(...children);
  return created;
}
