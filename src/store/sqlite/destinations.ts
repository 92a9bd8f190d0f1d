import type { DestinationSettings, DestinationStore } from '../port.js';
import { type Context, fromJson, toJson } from './context.js';

function asObject(value: unknown): DestinationSettings {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? { ...(value as DestinationSettings) }
    : {};
}

export function createDestinationStore({ db, now }: Context): DestinationStore {
  const read = db.prepare<[string], { options: string }>(
    'SELECT options FROM destination_options WHERE destination = ?',
  );
  const write = db.prepare<[string, string, number]>(`
    INSERT INTO destination_options (destination, options, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (destination) DO UPDATE SET options = excluded.options,
      updated_at = excluded.updated_at`);
  const del = db.prepare<[string]>('DELETE FROM destination_options WHERE destination = ?');

  const get = (destination: string): DestinationSettings => {
    const row = read.get(destination);
    return row === undefined ? {} : asObject(fromJson(row.options));
  };
  const set = db.transaction((destination: string, patch: DestinationSettings) => {
    const options = get(destination);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || value === undefined) delete options[key];
      else options[key] = value;
    }
    // A chat with nothing left set keeps no row.
    if (Object.keys(options).length === 0) del.run(destination);
    else write.run(destination, toJson(options), now());
    return options;
  });

  return {
    get: async (destination) => get(destination),
    set: async (destination, patch) => set.immediate(destination, patch),
  };
}
