import type { Transitions } from './decode.js';
import { isOptionalFeature, type OptionalFeature, type WordTables } from './features.js';
import { crc32 } from './hash.js';
import { IntTable, type KeyTable } from './int-table.js';
import { LABEL_COUNT, LABELS } from './labels.js';

const L = LABEL_COUNT;
// weightTableOf copies a row's codes written out, one per label.
if (L !== 7) throw new Error(`the weight table is written for 7 labels, not ${L}`);

/** What a model says about itself: read from the file, printed by the trainer. */
export interface ModelMeta {
  lang: string;
  /** Bits of the feature hash the weights are indexed by. */
  bits: number;
  /** The training sources, as `#doc` lines name them. */
  sources: string[];
  /** Trained on permissively licensed sources only. */
  permissive: boolean;
  seed: number;
  epochs: number;
  /**
   * The optional feature templates the weights were trained with (OPTIONAL_FEATURES);
   * absent in files written before there were any, which use none.
   */
  features?: OptionalFeature[];
}

/**
 * The kept weights, indexed by feature bucket through an open-addressing table, so a
 * model holds only the rows that matter. A weight is kept as the file stores it, one byte
 * (a code into `levels`, its 256 values), so the table is a third of the size of one of
 * floats and more of it stays in cache: the lookups of context features are most of the
 * tagger's time. Each slot is SLOT bytes: the key (bucket + 1 as an int, 0: empty) then
 * the L codes, so a lookup touches one cache line.
 */
export interface WeightTable {
  /** The label codes of slot s at s * SLOT + 4 .. + 4 + L. */
  codes: Uint8Array;
  /** The same memory as ints: the key of slot s at s * SLOT / 4. */
  keys: Int32Array;
  /** The weight of each code. */
  levels: Float32Array;
  /** The file's quantisation step: levels[code] = dequantise(code, scale). */
  scale: number;
  slots: number;
  /**
   * A bucket's home slot is floor(bucket × home): buckets are hashes already, so their top
   * bits are uniform, and slots follow bucket order. Building the table from the file's
   * sorted buckets then writes memory in order instead of at random: loading a model is a
   * sequential pass, with no table to rebuild.
   */
  home: number;
  /**
   * One bit per bucket (folded to PRESENCE_BITS): clear means the bucket has no weights.
   * Most context features (word pairs) were never kept; this small bitmap stays in cache
   * and answers them without touching the table.
   */
  present: Uint32Array;
}

const PRESENCE_BITS = 21;
/** The bits of a bucket its presence bit is found by. */
export const PRESENCE_MASK = (1 << PRESENCE_BITS) - 1;

/** Bytes per slot: an int key and L one-byte codes, padded to a multiple of 4. */
export const SLOT = 4 + ((L + 3) & ~3);

export interface NerModel {
  meta: ModelMeta;
  tables: WordTables;
  weights: WeightTable;
  transitions: Transitions;
}

/**
 * The offset in `codes` of a feature bucket's first label code, or -1 when the model has
 * none; the weight of label l is `levels[codes[offset + l]]`.
 */
export function rowOf(table: WeightTable, bucket: number): number {
  const { keys, slots, present } = table;
  const bit = bucket & ((1 << PRESENCE_BITS) - 1);
  if (((present[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return -1;
  const key = bucket + 1;
  const ints = SLOT >> 2;
  let slot = Math.floor(bucket * table.home);
  for (;;) {
    const k = keys[slot * ints] as number;
    if (k === key) return slot * SLOT + 4;
    if (k === 0) return -1;
    slot = slot + 1 === slots ? 0 : slot + 1;
  }
}

/** The kept buckets of a table, in slot order. */
export function bucketsOf(table: WeightTable): number[] {
  const buckets: number[] = [];
  const ints = SLOT >> 2;
  for (let s = 0; s < table.slots; s++) {
    const key = table.keys[s * ints] as number;
    if (key !== 0) buckets.push(key - 1);
  }
  return buckets;
}

/**
 * The table without the rows whose label weights all lie within `minSpread` of each
 * other. Adding one amount to every label's score of a token changes no label and no
 * confidence, so such a row moves little; dropping rows shrinks the table the tagger's
 * lookups miss the cache in. `npm run train -- --eval-only --min-spread X` scores the
 * result on dev (docs/model-card.md, "Speed and memory": what it cost there).
 */
export function withoutFlatRows(table: WeightTable, minSpread: number): WeightTable {
  const { codes, levels } = table;
  const kept: number[] = [];
  const keptCodes: number[] = [];
  for (const bucket of bucketsOf(table).sort((a, b) => a - b)) {
    const r = rowOf(table, bucket);
    let most = Number.NEGATIVE_INFINITY;
    let least = Number.POSITIVE_INFINITY;
    for (let l = 0; l < L; l++) {
      const w = levels[codes[r + l] as number] as number;
      if (w > most) most = w;
      if (w < least) least = w;
    }
    if (most - least < minSpread) continue;
    kept.push(bucket);
    for (let l = 0; l < L; l++) keptCodes.push(codes[r + l] as number);
  }
  return weightTableOf(kept, keptCodes, table.scale);
}

/**
 * Builds the lookup table from parallel arrays of buckets and their rows of L weights,
 * quantised as a file stores them (what a saved model will score with).
 */
export function buildWeightTable(buckets: ArrayLike<number>, rows: ArrayLike<number>): WeightTable {
  let max = 0;
  for (let k = 0; k < rows.length; k++)
    max = Math.max(max, Math.abs(Math.fround(rows[k] as number)));
  const scale = max > 0 ? Math.fround(Math.sqrt(max) / 127) : 1;
  const codes = new Uint8Array(rows.length);
  for (let k = 0; k < rows.length; k++) codes[k] = quantise(rows[k] as number, scale) & 0xff;
  return weightTableOf(buckets, codes, scale);
}

/**
 * The lookup table of buckets (non-negative, below 2^31) and their L codes each, at the
 * quantisation step `scale`. Fastest with the buckets in ascending order, as a file has them.
 * `top`: the largest bucket, when the caller knows it (a file's is its last).
 */
export function weightTableOf(
  buckets: ArrayLike<number>,
  codes: ArrayLike<number>,
  scale: number,
  top = largest(buckets),
): WeightTable {
  const n = buckets.length;
  // Two slots in three used: short probe runs, and a third of the memory of a power of two.
  const slots = Math.max(16, Math.ceil(n * 1.5));
  // floor(bucket × home) < slots for every bucket up to the next power of two above top.
  const home = slots / 2 ** (32 - Math.clz32(top));
  const bytes = new Uint8Array(slots * SLOT);
  const keys = new Int32Array(bytes.buffer);
  const ints = SLOT >> 2;
  const present = new Uint32Array(1 << (PRESENCE_BITS - 5));
  // Runs once per model, cold, over every kept row: kept to a few operations per row.
  // While the buckets come in ascending order their homes do too, so every slot from a
  // bucket's home up to the last one written is taken: the free slot a probe would find
  // is the later of its home and the one after the last written (`free`). A file's
  // buckets are sorted, so loading probes only past the table's end, where it wraps.
  let free = 0;
  let previous = 0;
  for (let r = 0, from = 0; r < n; r++, from += L) {
    const bucket = buckets[r] as number;
    const bit = bucket & PRESENCE_MASK;
    present[bit >>> 5] = (present[bit >>> 5] as number) | (1 << (bit & 31));
    let slot = Math.floor(bucket * home);
    if (bucket >= previous && free < slots) {
      if (slot < free) slot = free;
      free = slot + 1;
    } else {
      free = slots;
      while (keys[slot * ints] !== 0) slot = slot + 1 === slots ? 0 : slot + 1;
    }
    previous = bucket;
    keys[slot * ints] = bucket + 1;
    const to = slot * SLOT + 4;
    bytes[to] = codes[from] as number;
    bytes[to + 1] = codes[from + 1] as number;
    bytes[to + 2] = codes[from + 2] as number;
    bytes[to + 3] = codes[from + 3] as number;
    bytes[to + 4] = codes[from + 4] as number;
    bytes[to + 5] = codes[from + 5] as number;
    bytes[to + 6] = codes[from + 6] as number;
  }
  const levels = new Float32Array(256);
  for (let code = -128; code < 128; code++) levels[code & 0xff] = dequantise(code, scale);
  return { codes: bytes, keys, levels, scale, slots, home, present };
}

function largest(buckets: ArrayLike<number>): number {
  let top = 0;
  for (let r = 0; r < buckets.length; r++)
    if ((buckets[r] as number) > top) top = buckets[r] as number;
  return top;
}

/** A model file that cannot be read: `reason` says what is wrong with it. */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}

const MAGIC = [0x42, 0x57, 0x4e, 0x52]; // "BWNR"
export const FORMAT_VERSION = 1;
const HEADER = 16;

/**
 * The file format, little-endian:
 *   header: "BWNR", u16 version, u16 label count, u32 payload length, u32 CRC-32 of the payload
 *   payload: u32 length + JSON metadata; f32 transitions (L×L, then L starts);
 *     weights: u32 rows, f32 scale, varint deltas of the sorted buckets, i8 × rows × L
 *       (weight = code × scale, codes on a square-root scale so small weights keep precision);
 *     casing table: u32 n, varint deltas of sorted word hashes, u8 codes;
 *     cluster table: u32 n, varint deltas of sorted word hashes, u16 clusters.
 */
export function encodeModel(model: NerModel): Uint8Array {
  const w = new Writer();
  const meta = new TextEncoder().encode(JSON.stringify({ ...model.meta, labels: LABELS }));
  w.u32(meta.length);
  w.bytes(meta);
  for (const x of model.transitions.pairs) w.f32(x);
  for (const x of model.transitions.start) w.f32(x);

  const table = model.weights;
  const order = bucketsOf(table).sort((a, b) => a - b);
  const at = order.map((bucket) => rowOf(table, bucket));
  w.u32(order.length);
  w.f32(table.scale);
  let previous = 0;
  for (const bucket of order) {
    w.varint(bucket - previous);
    previous = bucket;
  }
  for (const r of at) for (let l = 0; l < L; l++) w.u8(table.codes[r + l] as number);

  writeTable(w, model.tables.casing, (v) => w.u8(v));
  writeTable(w, model.tables.clusters, (v) => w.u16(v));

  const payload = w.finish();
  const out = new Uint8Array(HEADER + payload.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint16(6, L, true);
  view.setUint32(8, payload.length, true);
  view.setUint32(12, crc32(payload), true);
  out.set(payload, HEADER);
  return out;
}

function quantise(x: number, scale: number): number {
  const code = Math.round(Math.sqrt(Math.abs(x)) / scale);
  return Math.sign(x) * Math.min(127, code);
}

function dequantise(code: number, scale: number): number {
  const root = code * scale;
  return Math.sign(code) * root * root;
}

/** Quantises weights as the file stores them: what a saved model will score with. */
export function roundTrip(x: number, scale: number): number {
  return dequantise(quantise(x, scale), scale);
}

function writeTable(w: Writer, table: KeyTable, value: (v: number) => void) {
  const entries = [...table.entries()]
    .map(([k, v]) => [k >>> 0, v] as const)
    .sort((a, b) => a[0] - b[0]);
  w.u32(entries.length);
  let previous = 0;
  for (const [k] of entries) {
    w.varint(k - previous);
    previous = k;
  }
  for (const [, v] of entries) value(v);
}

/** A CRC-32 of `bytes`, continued from `previous` (the CRC of the bytes before them). */
export type Checksum = (bytes: Uint8Array, previous?: number) => number;

/**
 * Reads a model file's bytes; throws ModelFormatError saying what is wrong. `checksum`: a
 * faster CRC-32 than this module's, where the runtime has one (the file loader's).
 */
export function decodeModel(bytes: Uint8Array, checksum: Checksum = crc32): NerModel {
  const payload = checkedPayload(bytes, checksum);
  try {
    return readPayload(new Reader(payload));
  } catch (error) {
    throw new ModelFormatError(`unreadable payload (${(error as Error).message})`);
  }
}

/** The size of a model file's header, the part checkModelHeader reads. */
export const MODEL_HEADER_BYTES = HEADER;

/**
 * Checks a model file's header (format, version, labels, length against the file's size)
 * and returns the checksum its payload must have (crc32 of every byte after the header).
 * A long-running process checks every language's file at start this way, in small chunks,
 * and loads each model only when its language first comes. Throws ModelFormatError.
 */
export function checkModelHeader(header: Uint8Array, fileBytes: number): number {
  if (header.length < HEADER || MAGIC.some((b, i) => header[i] !== b))
    throw new ModelFormatError('not a briefwire entity model');
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const version = view.getUint16(4, true);
  if (version !== FORMAT_VERSION)
    throw new ModelFormatError(`format version ${version}, this briefwire reads ${FORMAT_VERSION}`);
  if (view.getUint16(6, true) !== L) throw new ModelFormatError('a different label set');
  const length = view.getUint32(8, true);
  if (fileBytes !== HEADER + length)
    throw new ModelFormatError(
      `truncated or padded (${fileBytes} bytes, expected ${HEADER + length})`,
    );
  return view.getUint32(12, true);
}

/** Throws ModelFormatError unless the payload's crc32 is the header's. */
export function checkModelChecksum(actual: number, expected: number): void {
  if (actual !== expected) throw new ModelFormatError('checksum mismatch');
}

function checkedPayload(bytes: Uint8Array, checksum: Checksum): Uint8Array {
  const expected = checkModelHeader(bytes.subarray(0, HEADER), bytes.length);
  const payload = bytes.subarray(HEADER);
  checkModelChecksum(checksum(payload), expected);
  return payload;
}

function readPayload(r: Reader): NerModel {
  const metaBytes = r.bytes(r.u32());
  const raw = JSON.parse(new TextDecoder().decode(metaBytes)) as ModelMeta & { labels: string[] };
  if (raw.labels.join() !== LABELS.join()) throw new Error('labels differ');
  const { labels: _labels, ...meta } = raw;
  // A model trained with a template this briefwire lacks would score without its weights.
  const unknown = (meta.features ?? []).filter((name) => !isOptionalFeature(name));
  if (unknown.length > 0) throw new Error(`features this briefwire lacks: ${unknown.join(', ')}`);
  const pairs = new Float32Array(L * L);
  for (let i = 0; i < L * L; i++) pairs[i] = r.f32();
  const start = new Float32Array(L);
  for (let i = 0; i < L; i++) start[i] = r.f32();

  const count = r.u32();
  const scale = r.f32();
  const buckets = r.sums(new Int32Array(count));
  const codes = r.bytes(count * L);
  const casing = readTable(r, 1);
  const clusters = readTable(r, 2);
  if (!r.done()) throw new Error('trailing bytes');
  return {
    meta,
    tables: { casing, clusters },
    // The buckets are sums of non-negative deltas: ascending, the last the largest.
    weights: weightTableOf(buckets, codes, scale, count > 0 ? (buckets[count - 1] as number) : 0),
    transitions: { pairs, start },
  };
}

/** A table of sorted int keys (varint deltas) and their values of `width` bytes (1 or 2). */
function readTable(r: Reader, width: 1 | 2): IntTable {
  const n = r.u32();
  const keys = r.sums(new Int32Array(n));
  const bytes = r.bytes(n * width);
  // A copy: a view would keep the whole file's bytes alive with the model.
  if (width === 1) return new IntTable(keys, bytes.slice());
  const values = new Uint16Array(n);
  for (let i = 0; i < n; i++)
    values[i] = (bytes[2 * i] as number) | ((bytes[2 * i + 1] as number) << 8);
  return new IntTable(keys, values);
}

class Writer {
  #buffer = new Uint8Array(1 << 16);
  #view = new DataView(this.#buffer.buffer);
  #length = 0;

  #room(n: number): void {
    if (this.#length + n <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < this.#length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = next;
    this.#view = new DataView(next.buffer);
  }

  u8(x: number): void {
    this.#room(1);
    this.#buffer[this.#length++] = x;
  }
  u16(x: number): void {
    this.#room(2);
    this.#view.setUint16(this.#length, x, true);
    this.#length += 2;
  }
  u32(x: number): void {
    this.#room(4);
    this.#view.setUint32(this.#length, x >>> 0, true);
    this.#length += 4;
  }
  f32(x: number): void {
    this.#room(4);
    this.#view.setFloat32(this.#length, x, true);
    this.#length += 4;
  }
  varint(x: number): void {
    let v = x >>> 0;
    while (v >= 0x80) {
      this.u8((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.u8(v);
  }
  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buffer.set(b, this.#length);
    this.#length += b.length;
  }
  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }
}

class Reader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #need(n: number): number {
    if (this.#at + n > this.#bytes.length) throw new Error('ends early');
    const at = this.#at;
    this.#at += n;
    return at;
  }
  u32(): number {
    return this.#view.getUint32(this.#need(4), true);
  }
  f32(): number {
    return this.#view.getFloat32(this.#need(4), true);
  }
  /**
   * Varints, each added to the sum of those before, into `out` (the sorted keys of a
   * table). One loop over local state: it runs once per model at start-up, cold, over
   * hundreds of thousands of values, where a call per byte costs most of the load.
   */
  sums<T extends Int32Array>(out: T): T {
    const bytes = this.#bytes;
    let at = this.#at;
    let previous = 0;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      // Most deltas of a model's sorted buckets fit one byte: that case first, alone.
      const first = at < bytes.length ? (bytes[at] as number) : 0x80;
      if (first < 0x80) {
        at++;
        previous += first;
        out[i] = previous;
        continue;
      }
      let result = 0;
      let shift = 0;
      for (;;) {
        if (at >= bytes.length) throw new Error('ends early');
        const b = bytes[at++] as number;
        result += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
        shift += 7;
        if (shift > 35) throw new Error('bad varint');
      }
      previous += result;
      out[i] = previous;
    }
    this.#at = at;
    return out;
  }
  bytes(n: number): Uint8Array {
    const at = this.#need(n);
    return this.#bytes.subarray(at, at + n);
  }
  done(): boolean {
    return this.#at === this.#bytes.length;
  }
}
