import type { Transitions } from './decode.js';
import type { WordTables } from './features.js';
import { crc32 } from './hash.js';
import { LABEL_COUNT, LABELS } from './labels.js';

const L = LABEL_COUNT;

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
}

/**
 * The kept weights, indexed by feature bucket through an open-addressing table, so a
 * model holds only the rows that matter. Each slot is STRIDE floats: the key (bucket + 1
 * as an int, 0: empty) then the L label weights, so a lookup touches one cache line.
 */
export interface WeightTable {
  data: Float32Array;
  /** The same memory as ints, for the keys. */
  keys: Int32Array;
  /** log2 of the slot count. */
  slotBits: number;
  /**
   * A bucket's home slot is its top bits, `(bucket >>> shift) << spread` (one of the two
   * is 0; buckets are hashes already, so their top bits are uniform). Slots then follow
   * bucket order, so building the table from the file's sorted buckets writes memory in
   * order instead of at random: loading a model is a sequential pass.
   */
  shift: number;
  spread: number;
  /**
   * One bit per bucket (folded to PRESENCE_BITS): clear means the bucket has no weights.
   * Most context features (word pairs) were never kept; this small bitmap stays in cache
   * and answers them without touching the table.
   */
  present: Uint32Array;
}

const PRESENCE_BITS = 21;

export const STRIDE = 8;

export interface NerModel {
  meta: ModelMeta;
  tables: WordTables;
  weights: WeightTable;
  transitions: Transitions;
}

/** The offset of a feature bucket's first weight in `data`, or -1 when the model has none. */
export function rowOf(table: WeightTable, bucket: number): number {
  const { keys, slotBits, present } = table;
  const bit = bucket & ((1 << PRESENCE_BITS) - 1);
  if (((present[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return -1;
  const mask = (1 << slotBits) - 1;
  const key = bucket + 1;
  let slot = ((bucket >>> table.shift) << table.spread) & mask;
  for (;;) {
    const k = keys[slot * STRIDE] as number;
    if (k === key) return slot * STRIDE + 1;
    if (k === 0) return -1;
    slot = (slot + 1) & mask;
  }
}

/** The kept buckets of a table, in slot order. */
export function bucketsOf(table: WeightTable): number[] {
  const buckets: number[] = [];
  for (let k = 0; k < table.keys.length; k += STRIDE) {
    const key = table.keys[k] as number;
    if (key !== 0) buckets.push(key - 1);
  }
  return buckets;
}

/**
 * Builds the lookup table from parallel arrays of buckets (non-negative, below 2^31) and
 * their rows of L weights. Fastest with the buckets in ascending order, as a file has them.
 */
export function buildWeightTable(buckets: ArrayLike<number>, rows: ArrayLike<number>): WeightTable {
  const n = buckets.length;
  let slotBits = 4;
  while (1 << slotBits < n * 2) slotBits++;
  let top = 0;
  for (let r = 0; r < n; r++) top = Math.max(top, buckets[r] as number);
  // The bits the buckets span; their top slotBits pick the home slot.
  const span = 32 - Math.clz32(top);
  const shift = Math.max(0, span - slotBits);
  const spread = Math.max(0, slotBits - span);
  const size = 1 << slotBits;
  const data = new Float32Array(size * STRIDE);
  const keys = new Int32Array(data.buffer);
  const present = new Uint32Array(1 << (PRESENCE_BITS - 5));
  for (let r = 0; r < n; r++) {
    const bit = (buckets[r] as number) & ((1 << PRESENCE_BITS) - 1);
    present[bit >>> 5] = (present[bit >>> 5] as number) | (1 << (bit & 31));
    const key = (buckets[r] as number) + 1;
    let slot = (((buckets[r] as number) >>> shift) << spread) & (size - 1);
    while (keys[slot * STRIDE] !== 0) slot = (slot + 1) & (size - 1);
    keys[slot * STRIDE] = key;
    for (let l = 0; l < L; l++) data[slot * STRIDE + 1 + l] = rows[r * L + l] as number;
  }
  return { data, keys, slotBits, shift, spread, present };
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
  const { data } = table;
  let max = 0;
  for (const r of at)
    for (let l = 0; l < L; l++) max = Math.max(max, Math.abs(data[r + l] as number));
  const scale = max > 0 ? Math.sqrt(max) / 127 : 1;
  w.u32(order.length);
  w.f32(scale);
  let previous = 0;
  for (const bucket of order) {
    w.varint(bucket - previous);
    previous = bucket;
  }
  for (const r of at) for (let l = 0; l < L; l++) w.i8(quantise(data[r + l] as number, scale));

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

function writeTable(w: Writer, table: ReadonlyMap<number, number>, value: (v: number) => void) {
  const entries = [...table].map(([k, v]) => [k >>> 0, v] as const).sort((a, b) => a[0] - b[0]);
  w.u32(entries.length);
  let previous = 0;
  for (const [k] of entries) {
    w.varint(k - previous);
    previous = k;
  }
  for (const [, v] of entries) value(v);
}

/** Reads a model file's bytes; throws ModelFormatError saying what is wrong. */
export function decodeModel(bytes: Uint8Array): NerModel {
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b))
    throw new ModelFormatError('not a briefwire entity model');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== FORMAT_VERSION)
    throw new ModelFormatError(`format version ${version}, this briefwire reads ${FORMAT_VERSION}`);
  if (view.getUint16(6, true) !== L) throw new ModelFormatError('a different label set');
  const length = view.getUint32(8, true);
  if (bytes.length !== HEADER + length)
    throw new ModelFormatError(
      `truncated or padded (${bytes.length} bytes, expected ${HEADER + length})`,
    );
  const payload = bytes.subarray(HEADER);
  if (crc32(payload) !== view.getUint32(12, true)) throw new ModelFormatError('checksum mismatch');
  try {
    return readPayload(new Reader(payload));
  } catch (error) {
    throw new ModelFormatError(`unreadable payload (${(error as Error).message})`);
  }
}

function readPayload(r: Reader): NerModel {
  const metaBytes = r.bytes(r.u32());
  const raw = JSON.parse(new TextDecoder().decode(metaBytes)) as ModelMeta & { labels: string[] };
  if (raw.labels.join() !== LABELS.join()) throw new Error('labels differ');
  const { labels: _labels, ...meta } = raw;
  const pairs = new Float32Array(L * L);
  for (let i = 0; i < L * L; i++) pairs[i] = r.f32();
  const start = new Float32Array(L);
  for (let i = 0; i < L; i++) start[i] = r.f32();

  const count = r.u32();
  const scale = r.f32();
  const buckets = new Int32Array(count);
  let previous = 0;
  for (let i = 0; i < count; i++) {
    previous += r.varint();
    buckets[i] = previous;
  }
  const rows = new Float32Array(count * L);
  // 256 codes only: a table, and one view of the bytes, instead of a call per weight.
  const levels = new Float32Array(256);
  for (let code = -128; code < 128; code++) levels[code & 0xff] = dequantise(code, scale);
  const codes = r.bytes(count * L);
  for (let i = 0; i < count * L; i++) rows[i] = levels[codes[i] as number] as number;
  const casing = readTable(r, () => r.u8());
  const clusters = readTable(r, () => r.u16());
  if (!r.done()) throw new Error('trailing bytes');
  return {
    meta,
    tables: { casing, clusters },
    weights: buildWeightTable(buckets, rows),
    transitions: { pairs, start },
  };
}

function readTable(r: Reader, value: () => number): Map<number, number> {
  const n = r.u32();
  const keys = new Array<number>(n);
  let previous = 0;
  for (let i = 0; i < n; i++) {
    previous += r.varint();
    keys[i] = previous | 0;
  }
  const table = new Map<number, number>();
  for (let i = 0; i < n; i++) table.set(keys[i] as number, value());
  return table;
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
  i8(x: number): void {
    this.#room(1);
    this.#view.setInt8(this.#length++, x);
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
  u8(): number {
    return this.#bytes[this.#need(1)] as number;
  }
  i8(): number {
    return this.#view.getInt8(this.#need(1));
  }
  u16(): number {
    return this.#view.getUint16(this.#need(2), true);
  }
  u32(): number {
    return this.#view.getUint32(this.#need(4), true);
  }
  f32(): number {
    return this.#view.getFloat32(this.#need(4), true);
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (shift > 35) throw new Error('bad varint');
    }
  }
  bytes(n: number): Uint8Array {
    const at = this.#need(n);
    return this.#bytes.subarray(at, at + n);
  }
  done(): boolean {
    return this.#at === this.#bytes.length;
  }
}
