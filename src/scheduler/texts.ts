/** The scheduler's own words to chats (notices, digest headings), in the bot's languages. */
import type { BotLanguage } from '../config/index.js';

export interface SchedulerTexts {
  feedPaused(feed: string, failures: number, reason: string): string;
  digestHeading(date: string, count: number): string;
  /** The group heading of briefs that name no actor. */
  otherStories: string;
}

const TEXTS: Record<BotLanguage, SchedulerTexts> = {
  en: {
    feedPaused: (feed, failures, reason) =>
      `Feed ${feed} paused after ${failures} failures: ${reason}. Use /resume.`,
    digestHeading: (date, count) =>
      `Digest — ${date} (${count} ${count === 1 ? 'brief' : 'briefs'})`,
    otherStories: 'Other stories',
  },
  it: {
    feedPaused: (feed, failures, reason) =>
      `Il feed ${feed} è in pausa dopo ${failures} errori: ${reason}. Usa /resume.`,
    digestHeading: (date, count) =>
      `Riepilogo — ${date} (${count} ${count === 1 ? 'notizia' : 'notizie'})`,
    otherStories: 'Altre notizie',
  },
};

export function textsFor(language: string | undefined): SchedulerTexts {
  return language === 'it' ? TEXTS.it : TEXTS.en;
}
