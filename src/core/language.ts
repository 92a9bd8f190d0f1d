import { eld } from 'eld/extrasmall';

/** The languages the engine knows words for; any other still gets a brief. */
export const KNOWN_LANGUAGES = ['it', 'en', 'fr', 'de', 'es'] as const;

/** About a paragraph: enough for a reliable answer, and detection cost stays flat. */
const SAMPLE = 1200;

/**
 * The article's language as an ISO 639-1 code, or "und". A caller's hint (a feed's
 * declared language) decides only when the text itself is too short to tell.
 */
export function detectLanguage(text: string, hint?: string | null): string {
  const sample = text.length > SAMPLE ? text.slice(0, text.lastIndexOf(' ', SAMPLE)) : text;
  const result = eld.detect(sample);
  const declared = normaliseHint(hint);
  if (result.language && (result.isReliable() || !declared)) return result.language;
  return declared ?? 'und';
}

function normaliseHint(hint: string | null | undefined): string | null {
  const code = hint?.trim().slice(0, 2).toLowerCase();
  return code && /^[a-z]{2}$/.test(code) ? code : null;
}
