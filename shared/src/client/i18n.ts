/** The languages the apps speak, as HTML `lang` values: Bahasa Indonesia first, English second. */
export type Language = 'id' | 'en';

/** An app's texts, each in every language. */
export type TextTable<K extends string> = Record<K, Record<Language, string>>;

/** Replaces each `{name}` of a text; a name without a value stays as written. */
export type Translate<K extends string> = (key: K, values?: Record<string, string | number>) => string;

/** The language the page's address asks for: English with `?lang=en`, Bahasa Indonesia otherwise. */
export function languageFromUrl(search: string): Language {
  return new URLSearchParams(search).get('lang') === 'en' ? 'en' : 'id';
}

/** Looks texts up in `texts` for `language`, with each `{name}` replaced from `values`. */
export function translator<K extends string>(texts: TextTable<K>, language: Language): Translate<K> {
  return (key, values = {}) => texts[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/**
 * Fills in the texts the markup names: `data-i18n` (the text), `data-i18n-title` and
 * `data-i18n-aria-label`, each a key of `translate`; templates under `root` are filled too, so
 * their copies come out translated.
 */
export function applyTranslations<K extends string>(root: ParentNode, translate: Translate<K>): void {
  // forEach rather than for...of: NodeList iteration needs DOM.Iterable, which not every package's lib has.
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((element) => (element.textContent = translate(element.dataset.i18n as K)));
  root.querySelectorAll<HTMLElement>('[data-i18n-title]').forEach((element) => (element.title = translate(element.dataset.i18nTitle as K)));
  root
    .querySelectorAll<HTMLElement>('[data-i18n-aria-label]')
    .forEach((element) => element.setAttribute('aria-label', translate(element.dataset.i18nAriaLabel as K)));
  root.querySelectorAll('template').forEach((template) => applyTranslations(template.content, translate));
}
