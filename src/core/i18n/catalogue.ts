/**
 * The catalogue of the bot's words, one JSON file per language beside this one (en.json,
 * it.json …): plain `key → text`, `{name}` where a value goes in, and a word that depends on
 * a number written once per plural category (`briefs.one`, `briefs.other`: the categories
 * of Intl.PluralRules for that language). A translator edits or adds a file; no code.
 *
 * A language that does not translate every key says which language stands in for the rest
 * (`"@fallback": "en"`); one without `@fallback` must have every key of en.json. The test
 * beside the catalogue's test checks both, and that every translation keeps the English
 * text's placeholders.
 */
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };
import it from './it.json' with { type: 'json' };

/** The languages a chat can choose (/lang): the brief's labels and dates exist in all five. */
export const CATALOGUE_LANGUAGES = ['en', 'it', 'fr', 'de', 'es'] as const;
export type CatalogueLanguage = (typeof CATALOGUE_LANGUAGES)[number];

export type CatalogueFile = Readonly<Record<string, string>>;

export const CATALOGUE: Readonly<Record<CatalogueLanguage, CatalogueFile>> = { en, it, fr, de, es };

/** The key of English's text: every text the code asks for is in en.json. */
export type TextKey = Exclude<keyof typeof en, `@${string}`> | PluralKey;
/** `briefs` for `briefs.one` / `briefs.other`. */
type PluralKey = keyof typeof en extends infer K
  ? K extends `${infer Base}.other`
    ? Base
    : never
  : never;

export type TextValues = Readonly<Record<string, string | number>>;

export function isCatalogueLanguage(value: unknown): value is CatalogueLanguage {
  return typeof value === 'string' && (CATALOGUE_LANGUAGES as readonly string[]).includes(value);
}

/**
 * The catalogue language of an IETF language tag as platforms report it (`it`, `fr-CA`,
 * `es-419`, `de-AT`), by its primary subtag; undefined for a language the bot does not speak.
 */
export function catalogueLanguageOfTag(
  tag: string | null | undefined,
): CatalogueLanguage | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isCatalogueLanguage(primary) ? primary : undefined;
}

/** The language standing in for `language`'s missing keys; null when it has them all. */
export function fallbackOf(language: CatalogueLanguage): CatalogueLanguage | null {
  const named = CATALOGUE[language]['@fallback'];
  return isCatalogueLanguage(named) && named !== language ? named : null;
}

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralOf(language: CatalogueLanguage, count: number): string {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules.select(count);
}

/** The text of `key` in the file of `language` alone, plural chosen by `count`; else undefined. */
function own(language: CatalogueLanguage, key: string, count: unknown): string | undefined {
  const file = CATALOGUE[language];
  if (typeof count === 'number') {
    const plural = file[`${key}.${pluralOf(language, count)}`] ?? file[`${key}.other`];
    if (plural !== undefined) return plural;
  }
  return file[key];
}

/**
 * Where a language's text of `key` comes from: the language itself, or the one it falls
 * back to (and so on), or English at the last.
 */
export function sourceOf(language: CatalogueLanguage, key: string): CatalogueLanguage {
  const seen = new Set<CatalogueLanguage>();
  for (let l: CatalogueLanguage | null = language; l && !seen.has(l); l = fallbackOf(l)) {
    seen.add(l);
    if (own(l, key, 1) !== undefined) return l;
  }
  return 'en';
}

/**
 * The text of `key` in `language` with its placeholders filled: `text('fr', 'briefs',
 * { count: 3 })` → "3 brèves". A key the language does not have comes from its fallback.
 * Values are put in as they are: the adapters escape the whole text for their platform.
 */
export function text(language: CatalogueLanguage, key: TextKey, values: TextValues = {}): string {
  const from = sourceOf(language, key);
  const template = own(from, key, values.count);
  // Every key the code uses is in en.json (TextKey); this is a file edited out of step.
  if (template === undefined) throw new Error(`no text "${key}" in the catalogue`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
