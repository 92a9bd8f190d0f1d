import { describe, expect, it } from 'vitest';
import { fold } from '../../../src/core/text/fold.js';

describe('fold: the key every lookup uses', () => {
  it('is the lower case of plain ASCII', () => {
    expect(fold('NATO')).toBe('nato');
    expect(fold('Mario-Rossi 2024')).toBe('mario-rossi 2024');
  });

  it('makes typographic apostrophes plain, the ASCII backtick too', () => {
    expect(fold('don`t')).toBe("don't");
    expect(fold('l’Onu')).toBe("l'onu");
    expect(fold('A´B')).toBe("a'b");
  });

  it('drops accents and other marks', () => {
    expect(fold('ÉTATS-UNIS')).toBe('etats-unis');
    expect(fold('e\u0301')).toBe('e');
    expect(fold('Ölpreis')).toBe('olpreis');
  });

  it('folds accented Latin letter by letter exactly as decomposing the whole word does', () => {
    // The key of a word of Latin letters is made a code unit at a time: it must be what
    // decomposing, dropping marks and lower-casing the whole word gives, next to any mark.
    const whole = (text: string) =>
      text
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[’‘`´]/g, "'");
    const units = [0x2018, 0x2019];
    for (let c = 0; c < 0x250; c++) units.push(c);
    for (let c = 0x300; c < 0x370; c++) units.push(c);
    const after = [0x41, 0x61, 0xe4, 0xdf, 0x130, 0x301, 0x308, 0x327, 0x2019, 0x3a3];
    for (const a of units)
      for (const b of after) {
        const text = String.fromCharCode(a, b);
        expect(fold(text), text).toBe(whole(text));
      }
    expect(fold('Präsident')).toBe('prasident');
    expect(fold('ΣΟΦΟΣ')).toBe(whole('ΣΟΦΟΣ'));
  });
});
