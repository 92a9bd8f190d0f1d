import { FEED_ROOTS, rootElementName } from './xml-root.js';

export type InputKind = 'html' | 'feed' | 'xml' | 'plain';

/** What a run of bytes is. `text` is the decoded content without a BOM. */
export type Sniffed =
  | {
      kind: 'binary' /** e.g. `PDF`, `PNG image`; null when only the bytes tell. */;
      what: string | null;
    }
  | { kind: 'empty' }
  | {
      kind: InputKind;
      text: string;
      charset: string /** XML root, e.g. `urlset`. */;
      root?: string;
    };

interface Magic {
  bytes: (number | null)[];
  offset?: number;
  what: string;
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** File signatures of the binary formats people most often hand to a text tool. */
const MAGIC: Magic[] = [
  { bytes: ascii('%PDF-'), what: 'PDF' },
  { bytes: [0x89, ...ascii('PNG')], what: 'PNG image' },
  { bytes: ascii('GIF8'), what: 'GIF image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'JPEG image' },
  { bytes: [...ascii('RIFF'), null, null, null, null, ...ascii('WEBP')], what: 'WebP image' },
  { bytes: ascii('ftyp'), offset: 4, what: 'MP4/QuickTime media' },
  { bytes: ascii('ID3'), what: 'MP3 audio' },
  { bytes: ascii('OggS'), what: 'Ogg media' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'ZIP archive, e.g. DOCX/EPUB/ODT' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'ZIP archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'Microsoft Office document' },
  { bytes: [0x1f, 0x8b], what: 'gzip archive' },
  { bytes: ascii('BZh'), what: 'bzip2 archive' },
  { bytes: [0xfd, ...ascii('7zXZ'), 0x00], what: 'xz archive' },
  { bytes: [...ascii('7z'), 0xbc, 0xaf, 0x27, 0x1c], what: '7-Zip archive' },
  { bytes: ascii('Rar!'), what: 'RAR archive' },
  { bytes: [0x7f, ...ascii('ELF')], what: 'executable' },
  { bytes: ascii('SQLite format 3'), what: 'SQLite database' },
  { bytes: [0x00, ...ascii('asm')], what: 'WebAssembly module' },
];

function magicOf(bytes: Uint8Array): string | null {
  for (const m of MAGIC) {
    const at = m.offset ?? 0;
    if (bytes.length < at + m.bytes.length) continue;
    if (m.bytes.every((b, k) => b === null || bytes[at + k] === b)) return m.what;
  }
  return null;
}

/** The charset parameter of a Content-Type header, lower-cased. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '');
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** A label TextDecoder knows, normalised (`latin1` → `windows-1252`), or null. */
function decoderName(label: string | null | undefined): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

/** Charset declared inside the document: XML prolog or <meta charset> / http-equiv. */
function declaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, 4096));
  const xml = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml?.[1]) return xml[1];
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return meta?.[1] ?? null;
}

function bomOf(bytes: Uint8Array): { charset: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { charset: 'utf-8', length: 3 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

/** UTF-16 without a BOM: ASCII text shows as every other byte being NUL. */
function bomlessUtf16(bytes: Uint8Array): string | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let k = 0; k < n; k += 2) {
    if (bytes[k] === 0) evenNul++;
    if (bytes[k + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.6 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.6 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

/** 1 for a control character no text file carries (tab, LF, FF, CR, ESC are text), else 0. */
function isControlByte(b: number): number {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) ||
    b === 0x7f
    ? 1
    : 0;
}

/**
 * Share of the first 64 KB that are control bytes (isControlByte). Read four bytes at a
 * time where the bytes line up: a word without a byte below 0x20 or equal to 0x7f (most
 * words of text) has none, and only the others are looked at byte by byte; a byte at a
 * time, this loop was most of the cost of sniffing a feed. Exported for its test.
 */
export function controlByteRatio(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, 65536);
  if (n === 0) return 0;
  let bad = 0;
  const head = Math.min(n, (4 - (bytes.byteOffset & 3)) & 3);
  for (let k = 0; k < head; k++) bad += isControlByte(bytes[k] as number);
  const count = (n - head) >> 2;
  if (count > 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + head, count);
    for (let w = 0; w < count; w++) {
      const x = words[w] as number;
      const y = x ^ 0x7f7f7f7f;
      // Bit Twiddling Hacks' hasless(x, 0x20) and haszero(x ^ 0x7f7f7f7f): exact as tests.
      if ((((x - 0x20202020) & ~x) | ((y - 0x01010101) & ~y)) & 0x80808080) {
        const at = head + 4 * w;
        bad +=
          isControlByte(bytes[at] as number) +
          isControlByte(bytes[at + 1] as number) +
          isControlByte(bytes[at + 2] as number) +
          isControlByte(bytes[at + 3] as number);
      }
    }
  }
  for (let k = head + 4 * count; k < n; k++) bad += isControlByte(bytes[k] as number);
  return bad / n;
}

/** Share of characters in decoded text that are replacement or control characters. */
function junkCharRatio(text: string): number {
  const n = Math.min(text.length, 65536);
  if (n === 0) return 0;
  let bad = 0;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === 0xfffd || (c >= 0x80 && c <= 0x9f)) bad++;
    else if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) bad++;
  }
  return bad / n;
}

/**
 * Undeclared bytes that are not UTF-8: Cyrillic windows-1251 when most letters are high
 * bytes (as in Russian or Ukrainian text), otherwise windows-1252 (Latin-1 and its
 * superset, the common case for Western European text).
 */
function guessLegacyCharset(bytes: Uint8Array): string {
  let high = 0;
  let asciiLetters = 0;
  for (const b of bytes.subarray(0, 65536)) {
    if (b >= 0xc0 || b === 0xa8 || b === 0xb8) high++;
    else if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) asciiLetters++;
  }
  return high > 0 && high / (high + asciiLetters) > 0.3 ? 'windows-1251' : 'windows-1252';
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Bytes → text. Charset from, in order: a BOM, the Content-Type header, the XML prolog
 * or <meta charset>, then UTF-8 if the bytes are UTF-8, else a windows-1251/1252 guess.
 * Bytes declared in a legacy charset that are valid, non-ASCII UTF-8 are read as UTF-8.
 * Returns null when the result is mostly replacement or control characters (binary).
 */
export function decodeBytes(
  bytes: Uint8Array,
  contentType?: string | null,
): { text: string; charset: string } | null {
  const bom = bomOf(bytes);
  let charset =
    bom?.charset ??
    decoderName(charsetFromContentType(contentType)) ??
    decoderName(declaredCharset(bytes)) ??
    bomlessUtf16(bytes);
  // A page cannot declare itself UTF-16 in ASCII; browsers read that as UTF-8 too.
  if (!bom && charset?.startsWith('utf-16') && !bomlessUtf16(bytes)) charset = 'utf-8';
  const body = bom ? bytes.subarray(bom.length) : bytes;

  // A declared legacy charset over bytes that are valid UTF-8 with non-ASCII in them is a
  // misconfigured server (`charset=ISO-8859-1` by default): such bytes are UTF-8.
  if (charset && charset !== 'utf-8' && !bom && !charset.startsWith('utf-16')) {
    const utf8 = strictUtf8(body);
    if (utf8 !== null && body.some((b) => b >= 0x80)) return { text: utf8, charset: 'utf-8' };
  }
  if (charset && charset !== 'utf-8') {
    const text = new TextDecoder(charset).decode(body);
    return junkCharRatio(text) > 0.02 ? null : { text, charset };
  }
  const utf8 = strictUtf8(body);
  if (utf8 !== null) return { text: utf8, charset: 'utf-8' };
  // Not valid UTF-8 (even if declared so: misconfigured servers are common).
  const lenient = new TextDecoder('utf-8').decode(body);
  let invalid = 0;
  for (const ch of lenient) if (ch === '\ufffd') invalid++;
  if (invalid <= 3 && invalid <= lenient.length / 1000) return { text: lenient, charset: 'utf-8' };
  const legacy = guessLegacyCharset(body);
  const text = new TextDecoder(legacy).decode(body);
  return junkCharRatio(text) > 0.02 ? null : { text, charset: legacy };
}

const HTML_START =
  /^<(?:!doctype\s+html|html|head|body|title|meta|link|base|p|div|span|article|section|main|header|nav|h[1-6]|table|ul|ol|blockquote|figure|img|a|b|i|em|strong|br|script|style)[\s>/]/i;

/** Markup-y leading junk before the first element: whitespace, comments, doctype, PIs. */
const LEADING = /^(?:\s|<!--[\s\S]*?-->)*/;

function kindOf(text: string, contentType: string | null | undefined): Sniffed {
  const start = text.replace(LEADING, '').slice(0, 512);
  const type = (contentType ?? '').toLowerCase();
  const charsetless = { text, charset: '' };

  if (/^<\?xml[\s?]/i.test(start) || /^<(?:rss|feed|rdf:rdf)[\s>]/i.test(start)) {
    const root = rootElementName(text);
    if (root && FEED_ROOTS.has(root)) return { kind: 'feed', ...charsetless };
    if (root === 'html') return { kind: 'html', ...charsetless };
    if (root === 'svg') return { kind: 'binary', what: 'SVG image' };
    return { kind: 'xml', ...charsetless, ...(root ? { root } : {}) };
  }
  if (/^<(?:item|entry)[\s>]/i.test(start)) return { kind: 'feed', ...charsetless };
  if (HTML_START.test(start)) return { kind: 'html', ...charsetless };
  if (/^<svg[\s>]/i.test(start)) return { kind: 'binary', what: 'SVG image' };

  const hasTags = /<[a-z][^>]*>/i.test(text.slice(0, 65536));
  if (/html/.test(type) && hasTags) return { kind: 'html', ...charsetless };
  if (/(rss|atom|xml)/.test(type) && start.startsWith('<')) {
    const root = rootElementName(text);
    if (root && FEED_ROOTS.has(root)) return { kind: 'feed', ...charsetless };
    return { kind: 'xml', ...charsetless, ...(root ? { root } : {}) };
  }
  if (/<(?:html|body)[\s>]/i.test(text.slice(0, 4096))) return { kind: 'html', ...charsetless };
  return { kind: 'plain', ...charsetless };
}

/**
 * Decide what bytes are: binary (a known file signature, NUL bytes, control characters,
 * or text that decodes to junk), empty (nothing but whitespace), HTML, an RSS/Atom feed
 * or item, other XML, or plain text; and decode them (see decodeBytes).
 */
export function sniff(bytes: Uint8Array, contentType?: string | null): Sniffed {
  const magic = magicOf(bytes);
  if (magic) return { kind: 'binary', what: magic };
  const utf16 = bomOf(bytes)?.charset.startsWith('utf-16') || bomlessUtf16(bytes) !== null;
  if (!utf16 && (bytes.includes(0) || controlByteRatio(bytes) > 0.01)) {
    return { kind: 'binary', what: null };
  }
  const decoded = decodeBytes(bytes, contentType);
  if (!decoded) return { kind: 'binary', what: null };
  const text = decoded.text.replace(/^\ufeff/, '');
  if (text.trim() === '') return { kind: 'empty' };
  const kind = kindOf(text, contentType);
  return kind.kind === 'binary' || kind.kind === 'empty'
    ? kind
    : { ...kind, text, charset: decoded.charset };
}
