/**
 * 32-bit hashing for features: strings are hashed once per distinct word (FNV-1a), and
 * features combine those integers with their template id, so no feature string is built
 * at tag time.
 */

/**
 * Hashing a string built code unit by code unit, without building it: start from
 * HASH_START, add each unit with hashUnit, end with hashEnd; the same value as
 * hashString of the string.
 */
export const HASH_START = 0x811c9dc5 | 0;

export function hashUnit(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

export function hashEnd(h: number): number {
  return finalise(h);
}

export function hashString(text: string): number {
  return hashRange(text, 0, text.length);
}

/** `hashString(text.slice(from, to))`, without making the slice (a word's affixes). */
export function hashRange(text: string, from: number, to: number): number {
  let h = HASH_START;
  for (let i = from; i < to; i++) h = hashUnit(h, text.charCodeAt(i));
  return hashEnd(h);
}

/** Combines two 32-bit values (order matters). */
export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function mix3(a: number, b: number, c: number): number {
  return mix(mix(a, b), c);
}

function finalise(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return h ^ (h >>> 16);
}

/**
 * CRC-32 (IEEE), the checksum of a model file's payload, eight bytes a step
 * ("slicing-by-8"): table k gives the CRC of a byte followed by k zero bytes, so eight
 * lookups replace eight dependent steps. A model is checked at every start (megabytes,
 * in code that runs once and cold), where the byte-a-step loop cost ~9 ms per file.
 */
const CRC_TABLES = (() => {
  const tables = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++)
    for (let t = 1; t < 8; t++) {
      const before = tables[(t - 1) * 256 + n] as number;
      tables[t * 256 + n] = (before >>> 8) ^ (tables[before & 0xff] as number);
    }
  return tables;
})();

export function crc32(bytes: Uint8Array, previous = 0): number {
  // `previous`: the CRC of the bytes before these, so a file can be checked in chunks.
  const t = CRC_TABLES;
  let c = previous ^ -1;
  let i = 0;
  for (const end = bytes.length - 7; i < end; i += 8) {
    c ^=
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    c =
      (t[1792 + (c & 0xff)] as number) ^
      (t[1536 + ((c >>> 8) & 0xff)] as number) ^
      (t[1280 + ((c >>> 16) & 0xff)] as number) ^
      (t[1024 + (c >>> 24)] as number) ^
      (t[768 + (bytes[i + 4] as number)] as number) ^
      (t[512 + (bytes[i + 5] as number)] as number) ^
      (t[256 + (bytes[i + 6] as number)] as number) ^
      (t[bytes[i + 7] as number] as number);
  }
  for (; i < bytes.length; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** A small deterministic PRNG (mulberry32) for shuffling training data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
