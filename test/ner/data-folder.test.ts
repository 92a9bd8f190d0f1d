import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nerDataFolder } from '../../src/ner/data-folder.js';

describe('nerDataFolder: where training and the bench find the annotated entity data', () => {
  const checkout = fileURLToPath(new URL('../..', import.meta.url));

  it('takes the folder given on the command line over the environment', () => {
    expect(nerDataFolder('/data/given', { BRIEFWIRE_NER_DATA: '/data/env' })).toBe('/data/given');
  });

  it('takes BRIEFWIRE_NER_DATA when no folder is given', () => {
    expect(nerDataFolder(undefined, { BRIEFWIRE_NER_DATA: '/data/env' })).toBe('/data/env');
  });

  it('else looks in ../shared/data/ner beside the checkout', () => {
    expect(nerDataFolder(undefined, {})).toBe(join(checkout, '..', 'shared', 'data', 'ner'));
  });
});
