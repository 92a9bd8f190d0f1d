/** Lower case without accents, with typographic apostrophes made plain: the key every lookup uses. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'");
}

/** A stable identifier from a name: "Yoon Suk-yeol" and "Yoon Suk Yeol" both give "yoon-suk-yeol". */
export function slug(text: string): string {
  return fold(text)
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
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
