/**
 * What the pages the server renders itself (sign-in, public claim tracking) share: texts in both
 * languages, HTML escaping, and their stylesheets, read once and served with an hour's caching.
 */
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';

/** A text in both languages. */
export interface Bilingual {
  id: string;
  en: string;
}

const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as const;

/** `value` with the five characters that matter in HTML text and quoted attributes escaped. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character as keyof typeof HTML_ENTITIES]);
}

/** Indonesian text, then its English in a secondary span. */
export function bilingualHtml(text: Bilingual): string {
  return `${escapeHtml(text.id)} <span class="en" lang="en">${escapeHtml(text.en)}</span>`;
}

/** A wait of two minutes or more is said in minutes: nobody counts 900 seconds. */
export function waitText(seconds: number): Bilingual {
  if (seconds < 120) return { id: `${seconds} detik`, en: `${seconds} ${seconds === 1 ? 'second' : 'seconds'}` };
  const minutes = Math.ceil(seconds / 60);
  return { id: `${minutes} menit`, en: `${minutes} minutes` };
}

/** A file shipped beside a module (a page's stylesheet): read on first use, then kept. */
export function assetReadOnce(file: URL): () => string {
  let contents: string | undefined;
  return () => {
    contents ??= readFileSync(file, 'utf8');
    return contents;
  };
}

/** Answers with a page's stylesheet, which browsers may keep for an hour. */
export function stylesheetHandler(stylesheet: () => string): RequestHandler {
  return (_request, response) => {
    response.type('css').set('Cache-Control', 'max-age=3600').send(stylesheet());
  };
}
