import type { Brief } from '../types.js';

// The platforms' formats live with their platform (adapters/telegram/render,
// adapters/discord/render); src/render.ts is the library's `render` over all of them.
export { breakMentions } from './escape.js';
export { FEED_TEXT_MAX, feedText, feedUrl } from './feed-text.js';
export type { BriefLabels, BriefLanguage, BriefLocale } from './labels.js';
export {
  BRIEF_LABELS,
  BRIEF_LANGUAGES,
  briefLabels,
  DEFAULT_LOCALE,
  formatBriefDate,
  formatLocalDay,
  isBriefLanguage,
} from './labels.js';
export { renderText } from './plain.js';
export { terminalText } from './text.js';
export { UNTITLED } from './view.js';

/**
 * A brief as a compact post shows it (config `template: compact`): headline, source, date,
 * link and tags — no summary, no actor lines. Every renderer takes it as it is.
 */
export function compactBrief(brief: Brief): Brief {
  return { ...brief, summary: [], actors: [] };
}
