import { beforeEach, describe, expect, it } from 'vitest';
import type { Destination } from '../../../src/store/port.js';
import { addFeed } from '../helpers.js';

import type { StoreUnderTest } from './harness.js';

export function destinationsContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  describe('destination options', () => {
    it('are {} until set, merge on set, and a null value removes a key', async () => {
      expect(await t.store.destinations.get('telegram:-100123')).toEqual({});
      expect(await t.store.destinations.set('telegram:-100123', { language: 'it' })).toEqual({
        language: 'it',
      });
      expect(
        await t.store.destinations.set('telegram:-100123', { template: 'compact', language: 'en' }),
      ).toEqual({ language: 'en', template: 'compact' });
      expect(await t.store.destinations.set('telegram:-100123', { template: null })).toEqual({
        language: 'en',
      });
      expect(await t.store.destinations.get('console')).toEqual({});
      await t.store.destinations.set('telegram:-100123', { language: null });
      expect(await t.store.destinations.get('telegram:-100123')).toEqual({});
    });

    it('survive a restart', async () => {
      await t.store.destinations.set('discord:123456789012345678', { language: 'it' });
      const store = await t.reopen();
      expect(await store.destinations.get('discord:123456789012345678')).toEqual({
        language: 'it',
      });
    });

    it('move with the chat when a group becomes a supergroup', async () => {
      const feed = await addFeed(t.store);
      await t.store.subscriptions.add(feed.id, 'telegram:-123');
      await t.store.destinations.set('telegram:-123', { language: 'it' });
      await t.store.subscriptions.moveDestination('telegram:-123', 'telegram:-100123');
      expect(await t.store.destinations.get('telegram:-123')).toEqual({});
      expect(await t.store.destinations.get('telegram:-100123')).toEqual({ language: 'it' });
    });

    it('are refused for a name that is no destination', async () => {
      await expect(
        t.store.destinations.set(' console' as Destination, { language: 'it' }),
      ).rejects.toThrow();
    });
  });
}
