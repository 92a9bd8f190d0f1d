import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the annotated entity data (`SOURCES.md`, `{lang}/train.conll`,
 * `{lang}/dev.conll`): `given` (a `--data DIR`), else `BRIEFWIRE_NER_DATA`, else
 * `../shared/data/ner` beside the checkout. Read by training and the bench only: the data
 * is never copied into the project, so a fresh clone elsewhere may not have it.
 */
export function nerDataFolder(
  given?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  // src/ner/ and dist/ner/ both sit two folders below the checkout.
  const checkout = fileURLToPath(new URL('../..', import.meta.url));
  return given ?? env.BRIEFWIRE_NER_DATA ?? join(checkout, '..', 'shared', 'data', 'ner');
}
