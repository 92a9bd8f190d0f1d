/**
 * The role a brief gives a person comes from the words around their name: a role phrase
 * before it ("il ministro della Difesa Guido Crosetto") or an apposition after it ("X, the
 * head of Y,"). Briefs made with the shipped entity models, as the bot makes them.
 */
import { describe, expect, it } from 'vitest';
import { briefArticle } from '../../../src/core/brief.js';
import { shippedTaggers } from '../../../src/ner/taggers.js';

const tagger = shippedTaggers();
const brief = (title: string, text: string) => briefArticle({ title, text }, { tagger });

/** The role the brief gives the person `name` (undefined: no such person). */
const roleOf = (name: string, title: string, text: string) =>
  brief(title, text).actors.find((a) => a.kind === 'person' && a.name === name)?.role;

/** Every person's role in the brief ('' for none); there is at least one person. */
function peopleRoles(title: string, text: string): string[] {
  const roles = brief(title, text)
    .actors.filter((a) => a.kind === 'person')
    .map((a) => a.role ?? '');
  expect(roles.length).toBeGreaterThan(0);
  return roles;
}

describe('an apposition after a name', () => {
  it('is the role it names', () => {
    expect(
      roleOf('Emmanuel Macron', 'Visit', 'We met Emmanuel Macron, the French president, in Paris.'),
    ).toBe('French president');
  });

  // After a comma, "and" joins another clause or another person to the sentence: what
  // follows is not the first person's role, however many role words it holds.
  it.each([
    [
      'en',
      'Talks in Helsinki',
      'The talks were opened by Maria Lindqvist, and her Finnish counterpart Juha Salonen signed the accord on energy.',
    ],
    [
      'it',
      'Vertice a Torino',
      'Ha aperto il vertice Giorgio Ferrante, e il ministro della Difesa Paolo Serra ha firmato tre accordi sulla ricerca.',
    ],
    [
      'fr',
      'Sommet à Lyon',
      "Le sommet a été ouvert par Claire Dumont, et son homologue belge Pieter Claes a signé deux accords sur l'énergie.",
    ],
    [
      'es',
      'Cumbre en Sevilla',
      'La cumbre fue inaugurada por Ana Beltrán, y el ministro de Exteriores Luis Ortega firmó el acuerdo sobre el agua.',
    ],
    [
      'de',
      'Gipfel in Bremen',
      'Den Gipfel eröffnete Jana Weber, und ihr österreichischer Amtskollege Lukas Gruber unterzeichnete zwei Abkommen.',
    ],
  ])('is not read across "and" (%s)', (_, title, text) => {
    for (const role of peopleRoles(title, text)) expect(role).not.toMatch(/^(?:and|e|et|y|und)\b/i);
  });
});

describe('a verb after a name', () => {
  // What follows "X, has" is the sentence's predicate: its role words ("counterpart",
  // "homologue") belong to someone else.
  it.each([
    [
      'fr',
      'Visite à Rabat',
      'La ministre Claire Dumont, a reçu son homologue portugais à Rabat mardi.',
    ],
    [
      'en',
      'Visit to Oslo',
      'On Tuesday Maria Lindqvist, has met her Norwegian counterpart in Oslo.',
    ],
    ['it', 'Visita a Bari', 'Giorgio Ferrante, ha incontrato il suo omologo greco a Bari.'],
  ])('ends the apposition (%s)', (_, title, text) => {
    for (const role of peopleRoles(title, text))
      expect(role).not.toMatch(/\b(?:reçu|met|incontrato)\b/);
  });

  it('is told from a preposition of the same letters (Italian "a", the verb in French)', () => {
    expect(
      roleOf(
        'Paolo Serra',
        'Intervista',
        'Abbiamo incontrato Paolo Serra, a capo della Protezione civile, a Roma.',
      ),
    ).toBe('a capo della Protezione civile');
  });

  it('keeps an English apposition opened by the article "a"', () => {
    expect(
      roleOf('Emmanuel Macron', 'Visit', 'We met Emmanuel Macron, a former banker, in Paris.'),
    ).toBe('former banker');
  });
});

describe('a role phrase before a name', () => {
  it('reads French elided articles inside it ("de l\'équipe")', () => {
    expect(
      roleOf(
        'Philippe Tournon',
        'Déclaration',
        "Jamais, a répondu le chef du service de presse de l'équipe de France, Philippe Tournon, ce mardi.",
      ),
    ).toBe("chef du service de presse de l'équipe de France");
  });

  it('is not made of an English indefinite description ("a partner in crime in her friend")', () => {
    expect(
      roleOf(
        'Julia Church',
        'Retirement',
        'She has a partner in crime in her friend Julia Church, 67, who now lives in Menorca.',
      ),
    ).toBeNull();
  });
});
