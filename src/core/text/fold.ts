const folded = new Map<string, string>();
const MAX_FOLDED = 100_000;

/** Lower case without accents, with typographic apostrophes made plain: the key every lookup uses. */
export function fold(text: string): string {
  let key = folded.get(text);
  if (key === undefined) {
    // Names recur from article to article; the cache is dropped whole past its bound.
    if (folded.size >= MAX_FOLDED) folded.clear();
    const kind = latinKind(text);
    key =
      kind === PLAIN_ASCII ? text.toLowerCase() : kind === LATIN ? foldLatin(text) : foldAny(text);
    folded.set(text, key);
  }
  return key;
}

function foldAny(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'");
}

const PLAIN_ASCII = 0;
const LATIN = 1;
const OTHER = 2;
/** Code units below this, and the combining marks U+0300–U+036F, fold one by one. */
const LATIN_END = 0x250;

/**
 * PLAIN_ASCII: nothing to decompose, no mark, no apostrophe to make plain (no backtick),
 * so the key is the lower case (most words of English text). LATIN: Latin letters with
 * accents ("Präsident", "Élysée"), combining marks, typographic apostrophes: each code
 * unit folds on its own (NFD splits a letter from its marks, which go; no lower case of
 * these depends on its neighbours, as the Greek final sigma does). OTHER: the full way.
 */
function latinKind(text: string): number {
  let kind = PLAIN_ASCII;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && c !== 96) continue;
    if (c < LATIN_END || (c >= 0x300 && c < 0x370) || c === 0x2018 || c === 0x2019) kind = LATIN;
    else return OTHER;
  }
  return kind;
}

/** The key of each code unit of the LATIN kind, made the full way once: "Ä" → "a", U+0301 → "". */
let unitKeys: string[] | undefined;

function foldLatin(text: string): string {
  if (!unitKeys) {
    unitKeys = [];
    for (let c = 0; c < LATIN_END; c++) unitKeys[c] = foldAny(String.fromCharCode(c));
    for (let c = 0x300; c < 0x370; c++) unitKeys[c] = foldAny(String.fromCharCode(c));
    unitKeys[0x2018] = foldAny('\u2018');
    unitKeys[0x2019] = foldAny('\u2019');
  }
  // Runs of plain ASCII are lower-cased whole; the other units looked up one by one.
  let key = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && c !== 96) continue;
    if (i > from) key += text.slice(from, i).toLowerCase();
    key += unitKeys[c] as string;
    from = i + 1;
  }
  return from === 0 ? key : key + text.slice(from).toLowerCase();
}

/** A stable identifier from a name: "Yoon Suk-yeol" and "Yoon Suk Yeol" both give "yoon-suk-yeol". */
export function slug(text: string): string {
  return fold(text)
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const slugs = new Map<string, string>();

/** `slug`, remembered: actor ids are asked for again and again. */
export function cachedSlug(text: string): string {
  let id = slugs.get(text);
  if (id === undefined) {
    if (slugs.size >= MAX_FOLDED) slugs.clear();
    id = slug(text);
    slugs.set(text, id);
  }
  return id;
}

const UPPER = /^\p{Lu}/u;
const LOWER = /\p{Ll}/u;

/** Starts with a capital letter ("Seul", "DPRK", "Ökonom"). */
export function isCapitalised(word: string): boolean {
  return UPPER.test(word);
}

/** Two or more letters and no lower-case letter: an acronym such as "UE", "NATO", "G7". */
export function isAllCaps(word: string): boolean {
  return !LOWER.test(word) && /\p{Lu}.*\p{L}|\p{L}.*\p{Lu}|\p{Lu}\d/u.test(word);
}
