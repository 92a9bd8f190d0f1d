import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlByteRatio, decodeBytes, sniff } from '../../../src/core/input/sniff.js';
import { encodeLegacy } from '../../fixtures/input/legacy-encode.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const russian = 'Белоусов прилетел в Пхеньян. Умеров встретился с Юн Сок Ёлем в Сеуле.';
const french = 'Le ministre a été reçu à Pyongyang, où il a évoqué la coopération.';

describe('decoding', () => {
  it('uses the charset of the Content-Type header', () => {
    const bytes = encodeLegacy(russian, 'windows-1251');
    expect(decodeBytes(bytes, 'text/plain; charset=windows-1251')).toEqual({
      text: russian,
      charset: 'windows-1251',
    });
    expect(
      decodeBytes(encodeLegacy(french, 'iso-8859-1'), 'text/plain;charset="ISO-8859-1"')?.text,
    ).toBe(french);
  });

  it('uses <meta charset> and the XML prolog when no header names one', () => {
    const html = encodeLegacy(
      `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><body><p>${russian}</p></body></html>`,
      'windows-1251',
    );
    expect(decodeBytes(html)?.text).toContain(russian);
    const xml = encodeLegacy(
      `<?xml version="1.0" encoding="ISO-8859-1"?><item><title>${french}</title></item>`,
      'iso-8859-1',
    );
    expect(decodeBytes(xml)?.text).toContain(french);
  });

  it('guesses windows-1251 or windows-1252 for undeclared bytes that are not UTF-8', () => {
    expect(decodeBytes(encodeLegacy(russian, 'windows-1251'))).toEqual({
      text: russian,
      charset: 'windows-1251',
    });
    expect(decodeBytes(encodeLegacy(french, 'iso-8859-1'))).toEqual({
      text: french,
      charset: 'windows-1252',
    });
  });

  it('reads UTF-8 by default and strips a BOM', () => {
    expect(sniff(utf8(`\ufeff${russian}`))).toMatchObject({
      kind: 'plain',
      text: russian,
      charset: 'utf-8',
    });
  });

  it('reads UTF-16 with a BOM', () => {
    const le = new Uint8Array([0xff, 0xfe, ...Array.from(Buffer.from(russian, 'utf16le'))]);
    expect(sniff(le)).toMatchObject({ kind: 'plain', text: russian, charset: 'utf-16le' });
  });

  it('reads UTF-8 served with a wrong legacy charset as UTF-8', () => {
    expect(decodeBytes(utf8(french), 'text/html; charset=ISO-8859-1')).toEqual({
      text: french,
      charset: 'utf-8',
    });
  });

  it('ignores a charset label it does not know', () => {
    expect(decodeBytes(utf8(russian), 'text/plain; charset=x-klingon')?.text).toBe(russian);
  });
});

describe('what the bytes are', () => {
  it.each([
    ['%PDF-1.7\n%âãÏÓ\n1 0 obj', 'PDF'],
    ['\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'PNG image'],
    ['PK\x03\x04\x14\0\x06\0', 'ZIP archive, e.g. DOCX/EPUB/ODT'],
    ['\xff\xd8\xff\xe0\0\x10JFIF', 'JPEG image'],
  ])('a file signature names the binary format (%#)', (latin1, what) => {
    expect(sniff(Buffer.from(latin1, 'latin1'))).toEqual({ kind: 'binary', what });
  });

  it('NUL bytes and control characters mean binary', () => {
    expect(sniff(utf8('looks like text\0but is not'))).toEqual({ kind: 'binary', what: null });
    const noise = Uint8Array.from({ length: 4096 }, (_, k) => (k * 7919 + 13) % 256);
    expect(sniff(noise).kind).toBe('binary');
    const controls = utf8(`${'text '.repeat(20)}${'\x01\x02\x03\x04'.repeat(10)}`);
    expect(sniff(controls).kind).toBe('binary');
  });

  it('nothing but whitespace is empty', () => {
    expect(sniff(new Uint8Array(0))).toEqual({ kind: 'empty' });
    expect(sniff(utf8(' \n\t\r\n  '))).toEqual({ kind: 'empty' });
    expect(sniff(utf8('\ufeff\n'))).toEqual({ kind: 'empty' });
  });

  it.each([
    ['<!DOCTYPE html><html><body><p>x</p></body></html>', 'html'],
    ['<!-- saved page -->\n<html lang="it"><p>x</p></html>', 'html'],
    ['<p>A fragment.</p><p>Two.</p>', 'html'],
    ['<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', 'feed'],
    [
      '<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
      'feed',
    ],
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', 'feed'],
    ['<item><title>x</title></item>', 'feed'],
    ['<entry><title>x</title></entry>', 'feed'],
    ['<?xml version="1.0"?><urlset/>', 'xml'],
    ['Title\n\nSome text with a < and a > in it.', 'plain'],
    ['date 2024-11 Title\n\nBody', 'plain'],
  ])('%j is %s', (text, kind) => {
    expect(sniff(utf8(text)).kind).toBe(kind);
  });

  it('follows the Content-Type when the bytes alone do not tell', () => {
    expect(sniff(utf8('Hello <b>world</b>'), 'text/html; charset=utf-8').kind).toBe('html');
    expect(sniff(utf8('Hello <b>world</b>'), 'text/plain').kind).toBe('plain');
    expect(sniff(utf8('Just words.'), 'text/html').kind).toBe('plain');
  });

  it('an SVG image is binary for our purposes', () => {
    expect(sniff(utf8('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toEqual({
      kind: 'binary',
      what: 'SVG image',
    });
  });
});

describe('controlByteRatio', () => {
  /** The definition: control bytes (tab, LF, FF, CR, ESC aside) among the first 64 KB. */
  function reference(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, 65536);
    if (n === 0) return 0;
    let bad = 0;
    for (const b of bytes.subarray(0, n)) {
      if ((b < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(b)) || b === 0x7f) bad++;
    }
    return bad / n;
  }

  it('counts as the byte-by-byte definition does, at any offset and length', () => {
    const byte = fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(0x00, 0x09, 0x0a, 0x1b, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0x9f, 0xff),
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 40 }), fc.nat(3), (list, offset) => {
        const bytes = new Uint8Array([...new Array(offset).fill(0x41), ...list]).subarray(offset);
        expect(controlByteRatio(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 5000 },
    );
    const big = new Uint8Array(70_000).fill(0x61);
    big[3] = 0x01;
    big[65_535] = 0x7f;
    big[65_536] = 0x01; // past the 64 KB read
    expect(controlByteRatio(big)).toBe(2 / 65536);
    expect(controlByteRatio(big.subarray(1))).toBe(reference(big.subarray(1)));
  });
});
