/** The entity types the tagger knows, in the order the model stores them. */
export const ENTITY_TYPES = ['PER', 'LOC', 'ORG'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** BIO labels: 0 is O, then B-X and I-X for each type in ENTITY_TYPES order. */
export const LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG'] as const;
export type Label = (typeof LABELS)[number];
export const LABEL_COUNT = LABELS.length;
export const O = 0;

const LABEL_INDEX = new Map<string, number>(LABELS.map((l, i) => [l, i]));

/** The label's index, or -1 for a tag the tagger does not know. */
export function labelIndex(tag: string): number {
  return LABEL_INDEX.get(tag) ?? -1;
}

export function isInside(label: number): boolean {
  return label > 0 && label % 2 === 0;
}

export function typeOf(label: number): EntityType | null {
  return label === O ? null : (ENTITY_TYPES[(label - 1) >> 1] ?? null);
}

/**
 * May `next` follow `prev` (-1: the sentence start)? I-X only continues B-X or I-X, so
 * decoding never invents a name that starts inside.
 */
export function allowed(prev: number, next: number): boolean {
  if (!isInside(next)) return true;
  return prev >= 0 && prev !== O && (prev - 1) >> 1 === (next - 1) >> 1;
}

/** One entity: tokens [first, last) of a sentence, with its type. */
export interface Span {
  first: number;
  last: number;
  type: EntityType;
}

/**
 * Spans of a BIO label sequence, conlleval-style: an I-X that does not continue an X
 * opens a new entity (the decoder never produces one, gold data might).
 */
export function spansOf(labels: ArrayLike<number>, n = labels.length): Span[] {
  const spans: Span[] = [];
  let open: Span | null = null;
  for (let i = 0; i < n; i++) {
    const label = labels[i] as number;
    const type = typeOf(label);
    if (open && (type !== open.type || !isInside(label))) {
      open.last = i;
      spans.push(open);
      open = null;
    }
    if (type && !open) open = { first: i, last: i + 1, type };
  }
  if (open) {
    open.last = n;
    spans.push(open);
  }
  return spans;
}
