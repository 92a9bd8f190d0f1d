/**
 * The summariser's weights. Written by `npm run train:summary` (bench/summary/train.ts)
 * from the development data; see docs/summary-model.md for what it was fitted on and how
 * well it does. Edit by retraining, not by hand.
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
}

export const SUMMARY_MODEL: SummaryModel = {
  weights: [0, 0.6, 0.5, 0.2, 0.1, 0.1, -0.2, 0.5, 0.3, 0.4, 0.3, 0.1, 0.05, -0.05, -0.1, -0.3],
  budget: 75,
  redundancy: 0.5,
  third: 0.3,
};
