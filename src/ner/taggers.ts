import { join } from 'node:path';
import { defaultLexicon, LANGS, type Lang } from '../core/lexicon/index.js';
import { NerTagger } from '../core/ner/tagger.js';
import { checkNerModel, defaultModelPath, loadNerModel } from './load.js';

interface ModelOptions {
  permissive?: boolean;
  /** An operator's own models (<lang>.bwnr), instead of the shipped ones. */
  folder?: string;
}

function modelPath(lang: Lang, options: ModelOptions): string {
  return options.folder !== undefined
    ? join(options.folder, `${lang}.bwnr`)
    : defaultModelPath(lang, options.permissive);
}

/**
 * The entity taggers of the shipped models, one per language, each loaded the first time
 * its language is asked for (so a process that only sees German loads one file). A
 * language without a model (a sixth language) gets none: the brief's rules find its
 * names. `folder` holds an operator's own models (<lang>.bwnr), instead of the shipped ones.
 * A missing or corrupt file throws ModelFileError, a one-line message.
 */
export function shippedTaggers(
  options: ModelOptions = {},
): (lang: string) => NerTagger | undefined {
  const taggers = new Map<string, NerTagger>();
  return (lang) => {
    if (!LANGS.includes(lang as Lang)) return undefined;
    let tagger = taggers.get(lang);
    if (!tagger) {
      tagger = new NerTagger(loadNerModel(modelPath(lang as Lang, options)), defaultLexicon());
      taggers.set(lang, tagger);
    }
    return tagger;
  };
}

/**
 * Checks every language's model file as shippedTaggers(options) would read it, keeping
 * none: the bot refuses a missing or corrupt file at start (ModelFileError), yet holds only
 * the models of the languages its feeds are written in (five cost ~40 MB resident).
 */
export function checkShippedModels(options: ModelOptions = {}): void {
  for (const lang of LANGS) checkNerModel(modelPath(lang, options));
}
