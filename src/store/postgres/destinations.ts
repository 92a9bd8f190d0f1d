import type { DestinationSettings, DestinationStore } from '../port.js';
import { type Context, fromJson, toJson } from './context.js';

function asObject(value: unknown): DestinationSettings {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? { ...(value as DestinationSettings) }
    : {};
}

export function createDestinationStore({ db, now }: Context): DestinationStore {
  return {
    get: async (destination) => {
      const [row] = await db.rows<{ options: string }>(
        'SELECT options FROM destination_options WHERE destination = $1',
        [destination],
      );
      return row === undefined ? {} : asObject(fromJson(row.options));
    },
    set: (destination, patch) =>
      db.transaction(async (tx) => {
        // FOR UPDATE: two changes to one chat's options merge one after the other.
        const [row] = await tx.rows<{ options: string }>(
          'SELECT options FROM destination_options WHERE destination = $1 FOR UPDATE',
          [destination],
        );
        const options = row === undefined ? {} : asObject(fromJson(row.options));
        for (const [key, value] of Object.entries(patch)) {
          if (value === null || value === undefined) delete options[key];
          else options[key] = value;
        }
        // A chat with nothing left set keeps no row.
        if (Object.keys(options).length === 0) {
          await tx.run('DELETE FROM destination_options WHERE destination = $1', [destination]);
        } else {
          await tx.run(
            `INSERT INTO destination_options (destination, options, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (destination) DO UPDATE SET options = excluded.options,
               updated_at = excluded.updated_at`,
            [destination, toJson(options), now()],
          );
        }
        return options;
      }),
  };
}
