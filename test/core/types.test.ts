import { describe, expect, it } from 'vitest';
import { ACTOR_KINDS } from '../../src/core/types.js';

describe('actor kinds', () => {
  it('are exactly the four the Brief contract names', () => {
    expect([...ACTOR_KINDS].sort()).toEqual(['country', 'organization', 'person', 'place']);
  });
});
