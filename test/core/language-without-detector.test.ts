import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/core/language.js';

// This file never loads the general detector: it shows what a library user gets without it.
describe('detectLanguage before the general detector is loaded', () => {
  it('reads a short text in one of the five languages from its function words', () => {
    expect(
      detectLanguage(
        'El presidente del Gobierno, Pedro Sánchez, recibió este martes en el Palacio de la Moncloa al presidente brasileño.',
      ),
    ).toBe('es');
  });

  it('falls back to the hint, then "und", for a language it cannot read', () => {
    const finnish =
      'Hallitus hyväksyi tiistaina talousarvion, josta eduskunta keskustelee ensi viikolla.';
    expect(detectLanguage(finnish, 'fi')).toBe('fi');
    expect(detectLanguage(finnish)).toBe('und');
  });
});
