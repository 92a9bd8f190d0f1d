import { describe, expect, it } from 'vitest';
import { articleOf, parseConll } from '../../../src/core/ner/conll.js';

const conll = (lines: string[]) => lines.map((l) => (l === '' ? '' : `${l}\tO`)).join('\n');

describe('articleOf: a document of the training data read back as an article', () => {
  const [doc] = parseConll(
    `#doc news d1\n${conll([
      'ROME',
      'WINS',
      '.',
      '',
      'Mario',
      'Rossi',
      '(',
      'Lega',
      ')',
      'said',
      ':',
      '"',
      'no',
      '"',
      ',',
      'and',
      'left',
      '.',
      '',
      'It',
      'rained',
      '!',
    ])}\n`,
    'inline',
  );

  it('has the first sentence as its title and one sentence a line after it', () => {
    const article = articleOf(doc as NonNullable<typeof doc>);
    expect(article.title).toBe('ROME WINS.');
    expect(article.text.split('\n')).toHaveLength(2);
  });

  it('puts no space before closing punctuation nor after an opening bracket', () => {
    const article = articleOf(doc as NonNullable<typeof doc>);
    expect(article.text).toBe('Mario Rossi (Lega) said: " no ", and left.\nIt rained!');
  });
});
