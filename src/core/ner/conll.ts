import { labelIndex } from './labels.js';

/** One annotated sentence: tokens and their label indices. */
export interface AnnotatedSentence {
  tokens: string[];
  labels: Uint8Array;
}

/** A document of the training data: sentences that share context, and where they come from. */
export interface AnnotatedDocument {
  source: string;
  id: string;
  sentences: AnnotatedSentence[];
}

export class ConllError extends Error {
  override readonly name = 'ConllError';
}

/**
 * Reads the training data's CoNLL dialect: `token<TAB>TAG` lines, blank lines between
 * sentences, `#doc <source> <id>` lines opening documents. `*independent` makes every
 * sentence its own document; `*running` keeps them in one (context is real, boundaries
 * unknown). `name` is used in error messages.
 */
export function parseConll(text: string, name: string): AnnotatedDocument[] {
  const docs: AnnotatedDocument[] = [];
  let source = 'unknown';
  let independent = false;
  let doc: AnnotatedDocument | null = null;
  let tokens: string[] = [];
  let tags: number[] = [];
  let counter = 0;
  const flush = () => {
    if (tokens.length === 0) return;
    if (!doc || independent) {
      doc = { source, id: `${source}#${counter++}`, sentences: [] };
      docs.push(doc);
    }
    doc.sentences.push({ tokens, labels: Uint8Array.from(tags) });
    tokens = [];
    tags = [];
  };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).replace(/\r$/, '');
    if (line === '') {
      flush();
      continue;
    }
    const tab = line.indexOf('\t');
    if (tab < 0) {
      if (!line.startsWith('#doc '))
        throw new ConllError(`${name}:${n + 1}: expected token<TAB>tag`);
      flush();
      const [, src = 'unknown', id = ''] = line.split(' ');
      source = src;
      independent = id === '*independent';
      doc = null;
      if (!independent) {
        doc = { source, id: `${source}#${id}`, sentences: [] };
        docs.push(doc);
      }
      continue;
    }
    const tag = line.slice(tab + 1);
    const label = labelIndex(tag);
    if (label < 0) throw new ConllError(`${name}:${n + 1}: unknown tag "${tag}"`);
    tokens.push(line.slice(0, tab));
    tags.push(label);
  }
  flush();
  return docs.filter((d) => d.sentences.length > 0);
}

/**
 * Running text without known document boundaries (a novel, a newspaper's pages) as
 * pieces of `size` sentences, about an article's length: document features then see
 * what they would see in one article, not in a whole book.
 */
export function splitRunningText(
  docs: readonly AnnotatedDocument[],
  limit = 60,
  size = 40,
): AnnotatedDocument[] {
  return docs.flatMap((doc) => {
    if (doc.sentences.length <= limit) return [doc];
    const pieces: AnnotatedDocument[] = [];
    for (let at = 0; at < doc.sentences.length; at += size)
      pieces.push({ ...doc, id: `${doc.id}@${at}`, sentences: doc.sentences.slice(at, at + size) });
    return pieces;
  });
}

/** No space before closing punctuation, none after an opening bracket. */
const GLUED_TO_PREVIOUS = /^[,.;:!?%)\]}»]+$|^'s$|^n't$/i;
const GLUED_TO_NEXT = /^[([{«¿¡]$/;

/**
 * The text a document of the training data was cut from, near enough to brief it as an
 * article (the bench's stream of distinct articles): its first sentence as the title, one
 * sentence a line, tokens joined by spaces except around punctuation that sticks to a
 * word ("Rome , Italy ." reads "Rome, Italy."), so the sentence splitter and the tokenizer
 * see what they see in a feed.
 */
export function articleOf(doc: AnnotatedDocument): { title: string; text: string } {
  const lines = doc.sentences.map(({ tokens }) => writtenLine(tokens).line);
  return { title: lines[0] ?? '', text: lines.slice(1).join('\n') };
}

/**
 * A sentence's tokens as a writer would join them (articleOf's rule), with each token's
 * offsets in the line: `line.slice(starts[k], ends[k]) === tokens[k]`.
 */
export function writtenLine(tokens: readonly string[]): {
  line: string;
  starts: number[];
  ends: number[];
} {
  let line = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let glueNext = true;
  for (const token of tokens) {
    if (!(glueNext || GLUED_TO_PREVIOUS.test(token))) line += ' ';
    starts.push(line.length);
    line += token;
    ends.push(line.length);
    glueNext = GLUED_TO_NEXT.test(token);
  }
  return { line, starts, ends };
}
