const folded = new Map<string, string>();
const MAX_FOLDED = 100_000;

/** Lower case without accents, with typographic apostrophes made plain: the key every lookup uses. */
export function fold(text: string): string {
  let key = folded.get(text);
  if (key === undefined) {
    // Names recur from article to article; the cache is dropped whole past its bound.
    if (folded.size >= MAX_FOLDED) folded.clear();
    key = plainAscii(text)
      ? text.toLowerCase()
      : text
          .normalize('NFD')
          .replace(/\p{M}/gu, '')
          .toLowerCase()
          .replace(/[’‘`´]/g, "'");
    folded.set(text, key);
  }
  return key;
}

/**
 * ASCII without a backtick: nothing to decompose, no mark, no apostrophe to make plain,
 * so its key is its lower case (most words of English text, and many of every language).
 */
function plainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || c === 96) return false;
  }
  return true;
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
