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
    0.003, // bias
    -0.131, // first
    -0.017, // second
    -0.002, // third
    0.151, // position
    -0.018, // relative
    0.008, // earlyParagraph
    0, // opensParagraph
    0.041, // length
    -0.006, // short
    0.005, // long
    -0.046, // severalSentences
    0.031, // titleRecall
    0.01, // titlePrecision
    0.204, // centrality
    0.001, // actors
    -0.013, // topActor
    -0.002, // numbers
    -0.008, // quoted
    -0.011, // pointer
    -0.008, // question
    -0.021, // headlineActors
    0.038, // ledeHeadline
    -0.007, // ledeActors
    0.007, // bestTitle
    0.017, // relativeCentrality
  ],
  wordCost: 0.02,
  redundancy: 0.05,
  third: 0.04,
  coverage: 0.17,
};
