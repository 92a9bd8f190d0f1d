/**
 * The summariser's weights. Written by `npm run train:summary` (bench/summary/train.ts)
 * from the tunable development data (CNN/DM training-split stories, the even half of
 * OrangeSum validation); docs/summary-model.md says how well it does. Retrain, don't edit.
 */
export interface SummaryModel {
  /** One weight per feature, in the order of FEATURES in summary.ts. */
  weights: readonly number[];
  /** What a unit's words cost, per MAX_UNIT_WORDS words; keeps the average near LEAD-3's. */
  wordCost: number;
  /** How much a unit loses for repeating the words of one already chosen (0..1 overlap). */
  redundancy: number;
  /** A third unit is added only when it scores at least this much. */
  third: number;
  /** How much a unit gains for headline words and actors the chosen ones lack. */
  coverage: number;
}

export const SUMMARY_MODEL: SummaryModel = {
  weights: [
    0.037, // bias
    -0.092, // first
    0.003, // third
    0.114, // position
    -0.003, // relative
    -0.003, // opensParagraph
    0.08, // length
    -0.032, // short
    -0.023, // severalSentences
    0.054, // titleRecall
    0.01, // titlePrecision
    0.232, // centrality
    -0.009, // quoted
    -0.008, // question
    0.006, // headlineActors
    0.019, // ledeHeadline
    0.018, // relativeCentrality
  ],
  wordCost: 0.04,
  redundancy: 0.056,
  third: 0.1,
  coverage: 0.13,
};
