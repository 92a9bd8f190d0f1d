import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultLexicon } from '../../../src/core/lexicon/index.js';
import { learnCasing } from '../../../src/core/ner/casing.js';
import { parseConll } from '../../../src/core/ner/conll.js';
import { OPTIONAL_FEATURES, type OptionalFeature } from '../../../src/core/ner/features.js';
import { LABELS, type Span, spansOf } from '../../../src/core/ner/labels.js';
import { decodeModel, encodeModel, ModelFormatError } from '../../../src/core/ner/model.js';
import { NerTagger } from '../../../src/core/ner/tagger.js';
import { trainTagger } from '../../../src/core/ner/train.js';

const fixture = new URL('../../fixtures/ner/tiny.conll', import.meta.url);
const docs = parseConll(readFileSync(fixture, 'utf8'), 'tiny.conll');

function train(seed = 1, features: OptionalFeature[] | undefined = undefined) {
  return trainTagger(docs, {
    lang: 'en',
    lexicon: defaultLexicon(),
    tables: { casing: learnCasing(docs), clusters: new Map() },
    bits: 16,
    epochs: 8,
    seed,
    prune: 0.01,
    rate: (source) => (source === 'tiny-tweets' ? 0.5 : 1),
    meta: {
      sources: ['tiny-news', 'tiny-tweets'],
      permissive: true,
      ...(features && { features }),
    },
  });
}

const tag = (model: ReturnType<typeof train>) =>
  docs.map((d) =>
    new NerTagger(model, defaultLexicon()).tagDocument(d.sentences.map((s) => s.tokens)),
  );
const names = (labels: Uint8Array[][]) =>
  labels.map((doc) => doc.map((s) => Array.from(s, (l) => LABELS[l])));

describe('the entity tagger on a tiny training slice', () => {
  it('reads documents, sources and labels from the CoNLL dialect', () => {
    expect(docs.map((d) => [d.source, d.sentences.length])).toEqual([
      ['tiny-news', 3],
      ['tiny-news', 2],
      ['tiny-tweets', 1],
      ['tiny-tweets', 1],
    ]);
    expect(spansOf(docs[1]?.sentences[0]?.labels ?? [])).toEqual([
      { first: 0, last: 2, type: 'ORG' },
      { first: 3, last: 5, type: 'PER' },
    ]);
  });

  it('learns the slice it was trained on', () => {
    const predicted = tag(train());
    expect(names(predicted)).toEqual(names(docs.map((d) => d.sentences.map((s) => s.labels))));
  });

  it('is the same model for the same seed', () => {
    expect(Buffer.from(encodeModel(train(3))).equals(encodeModel(train(3)))).toBe(true);
  });

  it('saves and loads a model that tags exactly as before', () => {
    const model = train();
    const bytes = encodeModel(model);
    const loaded = decodeModel(bytes);
    expect(loaded.meta).toEqual(model.meta);
    expect(new Map(loaded.tables.casing.entries())).toEqual(model.tables.casing);
    expect(names(tag(loaded))).toEqual(names(tag(model)));
    expect(Buffer.from(encodeModel(loaded)).equals(bytes)).toBe(true);
  });

  it('says how sure it is of the labels of sentences with a name, and has nothing to say of the rest', () => {
    const model = train();
    const sentences = [
      ...(docs[1]?.sentences.map((s) => s.tokens) ?? []),
      ['it', 'was', 'raining', 'all', 'day', '.'],
    ];
    const { labels, confidence } = new NerTagger(model, defaultLexicon()).tagDocumentScored(
      sentences,
    );
    labels.forEach((own, s) => {
      const sure = confidence[s];
      if (!own.some((l) => l !== 0)) expect(sure).toBeNull();
      else {
        expect(sure).toHaveLength(own.length);
        for (const x of sure ?? []) expect(x > 0 && x <= 1.000001).toBe(true);
      }
    });
    expect(confidence.at(-1)).toBeNull();
    expect(confidence.filter((c) => c !== null).length).toBeGreaterThan(0);
  });

  it('keeps a document’s labels and confidences as they were while it tags the next ones', () => {
    // The tagger reuses its scratch between documents: what it gave back must not be it.
    const tagger = new NerTagger(train(), defaultLexicon());
    const sentencesOf = (d: number) => docs[d]?.sentences.map((s) => s.tokens) ?? [];
    const copy = (r: ReturnType<typeof tagger.tagDocumentScored>) => ({
      labels: r.labels.map((l) => [...l]),
      confidence: r.confidence.map((c) => c && [...c]),
    });
    const first = tagger.tagDocumentScored(sentencesOf(1));
    const before = copy(first);
    for (const d of [0, 2, 3, 0]) tagger.tagDocumentScored(sentencesOf(d));
    tagger.tagDocument(sentencesOf(0));
    expect(copy(first)).toEqual(before);
    expect(copy(tagger.tagDocumentScored(sentencesOf(1)))).toEqual(before);
  });
  it('tags as a fresh tagger does after dropping its cache of spellings (past 100,000)', () => {
    // Its cache of spellings and their analyses' records is bounded: once a stream of new
    // words has filled it, it is dropped between documents, and nothing of it may linger.
    const model = train();
    const tagger = new NerTagger(model, defaultLexicon());
    const sentencesOf = (d: number) => docs[d]?.sentences.map((s) => s.tokens) ?? [];
    const copy = (r: ReturnType<typeof tagger.tagDocumentScored>) => ({
      labels: r.labels.map((l) => [...l]),
      confidence: r.confidence.map((c) => c && [...c]),
    });
    for (const d of [0, 1]) tagger.tagDocumentScored(sentencesOf(d));
    const flood = Array.from({ length: 1000 }, (_, s) =>
      Array.from({ length: 100 }, (_, w) => `Word${s * 100 + w}`),
    );
    tagger.tagDocument(flood);
    for (const d of [0, 1, 2, 3]) {
      const fresh = new NerTagger(model, defaultLexicon());
      expect(copy(tagger.tagDocumentScored(sentencesOf(d)))).toEqual(
        copy(fresh.tagDocumentScored(sentencesOf(d))),
      );
    }
  });

  it('gives the same confidences when asked for them later, after tagging other documents', () => {
    // Confidence is computed on first read: it must be what tagging scored gives, to the
    // last bit, even when the tagger's scratch has since served other documents.
    const tagger = new NerTagger(train(), defaultLexicon());
    const sentencesOf = (d: number) => docs[d]?.sentences.map((s) => s.tokens) ?? [];
    const eager = tagger.tagDocumentScored(sentencesOf(1)).confidence.map((c) => c && [...c]);
    const lazy = tagger.tagDocumentLazily(sentencesOf(1));
    for (const d of [0, 2, 3]) tagger.tagDocumentScored(sentencesOf(d));
    tagger.tagDocument(sentencesOf(0));
    // Read in reverse order, each twice: no sentence's reading depends on another's.
    const read = lazy.labels.map((_, s) => s).reverse();
    const late = read.map((s) => lazy.confidence.of(s)).reverse();
    expect(late.map((c) => c && [...c])).toEqual(eager);
    expect(read.map((s) => lazy.confidence.of(s)).reverse()).toEqual(late);
    expect(eager.some((c) => c !== null)).toBe(true);
  });
  it('says how sure it is of each span: the least confidence of its labels and of the one closing it', () => {
    // A span's confidence is read alone, before or without the whole sentence's, and is
    // what the whole sentence's confidences say, to the last bit.
    const tagger = new NerTagger(train(), defaultLexicon());
    const sentences = docs.flatMap((d) => d.sentences.map((s) => s.tokens));
    const { labels, confidence } = tagger.tagDocumentScored(sentences);
    const expected = labels.map((own, s) =>
      spansOf(own).map((span) => {
        let least = 1;
        for (let k = span.first; k < Math.min(span.last + 1, own.length); k++)
          least = Math.min(least, confidence[s]?.[k] as number);
        return least;
      }),
    );
    const lazy = tagger.tagDocumentLazily(sentences);
    // Each sentence's last span first, then the others; half the sentences whole in between.
    const read = lazy.labels.map((own, s) => {
      const spans = spansOf(own);
      const last = spans.length > 0 ? [lazy.confidence.span(s, spans.at(-1) as Span)] : [];
      if (s % 2 === 0) lazy.confidence.of(s);
      return [...spans.slice(0, -1).map((span) => lazy.confidence.span(s, span)), ...last];
    });
    expect(read).toEqual(expected);
    expect(expected.flat().length).toBeGreaterThan(10);
    expect(expected.flat().some((x) => x < 0.99)).toBe(true);
  });

  it('trains with optional feature templates, names them in the file, and tags with them after loading', () => {
    const model = train(1, [...OPTIONAL_FEATURES]);
    const bytes = encodeModel(model);
    const loaded = decodeModel(bytes);
    expect(loaded.meta.features).toEqual([...OPTIONAL_FEATURES]);
    expect(names(tag(loaded))).toEqual(names(docs.map((d) => d.sentences.map((s) => s.labels))));
    // The templates are computed: other weights than the model trained without them, and
    // the same ones for the same seed.
    expect(Buffer.from(bytes).equals(encodeModel(train(1)))).toBe(false);
    expect(Buffer.from(bytes).equals(encodeModel(train(1, [...OPTIONAL_FEATURES])))).toBe(true);
    // A file from before the templates existed names none, and is read as using none.
    expect(decodeModel(encodeModel(train(1))).meta.features).toBeUndefined();
  });

  it('refuses a model trained with a feature template this briefwire does not have', () => {
    const model = train();
    const future = {
      ...model,
      meta: { ...model.meta, features: ['word-vectors' as OptionalFeature] },
    };
    expect(() => decodeModel(encodeModel(future))).toThrow(
      new ModelFormatError('unreadable payload (features this briefwire lacks: word-vectors)'),
    );
  });

  it('refuses a damaged file, saying what is wrong', () => {
    const bytes = encodeModel(train());
    const flipped = bytes.slice();
    flipped[bytes.length - 5] = (flipped[bytes.length - 5] as number) ^ 0xff;
    expect(() => decodeModel(flipped)).toThrow(new ModelFormatError('checksum mismatch'));
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodeModel(new TextEncoder().encode('{"not":"a model"}'))).toThrow(
      'not a briefwire entity model',
    );
  });
});
