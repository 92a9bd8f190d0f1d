/**
 * The summariser's weights. Written by `npm run train:summary` (bench/summary/train.ts)
 * from the tunable development data (CNN/DM training-split stories, the even half of
 * OrangeSum validation); docs/summary-model.md says how well it does. Retrain, don't edit.
 */
export interface SummaryModel {
  /** One weight per feature, in the order of FEATURES in summary.ts. */
  weights: readonly number[];
  /** Most words the summary may hold. */
  budget: number;
  /** How much a unit loses for repeating the words of one already chosen (0..1 overlap). */
  redundancy: number;
  /** A third unit is added only when it scores at least this much. */
  third: number;
  /** How much a unit gains for headline words and actors the chosen ones lack. */
  coverage: number;
}

export const SUMMARY_MODEL: SummaryModel = {
  weights: [
    -0.024, // bias
    -0.095, // first
    -0.016, // second
    0.01, // third
    0.148, // position
    0.006, // relative
    0.074, // earlyParagraph
    0.006, // opensParagraph
    0.1, // length
    -0.002, // short
    -0.018, // long
    -0.106, // severalSentences
    0.089, // titleRecall
    0.101, // titlePrecision
    0.262, // centrality
    0.002, // actors
    0.012, // topActor
    0.004, // numbers
    -0.009, // quoted
    0.025, // pointer
    -0.027, // question
  ],
  budget: 75,
  redundancy: 0.05,
  third: 0.1,
  coverage: 0,
};
