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
    0.021, // bias
    -0.174, // first
    -0.007, // second
    0.004, // third
    0.178, // position
    -0.009, // relative
    0.033, // earlyParagraph
    -0.017, // opensParagraph
    0.05, // length
    -0.041, // short
    0.007, // long
    -0.048, // severalSentences
    0.04, // titleRecall
    0.016, // titlePrecision
    0.261, // centrality
    -0.003, // actors
    -0.013, // topActor
    -0.001, // numbers
    -0.018, // quoted
    -0.01, // pointer
    -0.017, // question
  ],
  wordCost: 0.02,
  redundancy: 0.05,
  third: 0.1,
  coverage: 0.35,
};
