import { join } from 'node:path';
import { defaultLexicon, LANGS, type Lang } from '../core/lexicon/index.js';
import { NerTagger } from '../core/ner/tagger.js';
import { defaultModelPath, loadNerModel } from './load.js';

/**
 * The entity taggers of the shipped models, one per language, each loaded the first time
 * its language is asked for (so a process that only sees German loads one file). A
 * language without a model (a sixth language) gets none: the brief's rules find its
 * names. `folder` holds an operator's own models (<lang>.bwnr), instead of the shipped ones.
 * A missing or corrupt file throws ModelFileError, a one-line message.
 */
export function shippedTaggers(
  options: { permissive?: boolean; folder?: string } = {},
): (lang: string) => NerTagger | undefined {
  const taggers = new Map<string, NerTagger>();
  return (lang) => {
    if (!LANGS.includes(lang as Lang)) return undefined;
    let tagger = taggers.get(lang);
    if (!tagger) {
      tagger = new NerTagger(
        loadNerModel(
          options.folder !== undefined
            ? join(options.folder, `${lang}.bwnr`)
            : defaultModelPath(lang, options.permissive),
        ),
        defaultLexicon(),
      );
      taggers.set(lang, tagger);
    }
    return tagger;
  };
}
