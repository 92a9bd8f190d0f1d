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
});
