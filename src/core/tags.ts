import { ROMAN } from './actors/names.js';
import { fold } from './text/fold.js';
import { letterDigitRuns } from './text/tokens.js';
import type { Actor } from './types.js';

const MAX_TAGS = 5;
const MIN_SALIENCE = 0.2;

/**
 * Hashtags for the top actors, written so Telegram and Discord both keep them whole:
 * letters and digits only ("#CoreaDelNord", "#G7"), people by the name the article uses
 * for them alone ("#Belousov", "#Yoon"). `particles` are the folded words a surname may
 * open with ("von der", "de"), so "Ursula von der Leyen" is "#VonDerLeyen".
 */
export function hashtags(
  actors: readonly Actor[],
  particles: ReadonlySet<string> = new Set(),
): string[] {
  const tags: string[] = [];
  for (const actor of actors) {
    if (tags.length >= MAX_TAGS || actor.salience < MIN_SALIENCE) break;
    const tag = hashtag(actor.kind === 'person' ? personHandle(actor, particles) : actor.name);
    if (tag && !tags.some((t) => t.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  }
  return tags;
}

/** "Jr.", "Sr": a suffix after the surname, which is the name people use. */
const GENERATIONAL = /^(?:Jr|Sr)\.?$/;

function personHandle(actor: Actor, particles: ReadonlySet<string>): string {
  const single = actor.aliases.filter((a) => !/\s/.test(a) && actor.name.includes(a));
  if (single.length > 0) return single.sort((a, b) => a.length - b.length)[0] ?? actor.name;
  const parts = actor.name.split(/\s+/);
  // "Mohammed VI", "Benedict XVI": a monarch or a pope goes by name and numeral together.
  if (parts.length > 1 && ROMAN.test(parts.at(-1) ?? '')) return actor.name;
  if (parts.length > 2 && GENERATIONAL.test(parts.at(-1) ?? '')) parts.pop();
  if (parts.length === 1) return actor.name;
  // The surname with the particles it opens with, the given name left out: "von der Leyen".
  let first = parts.length - 1;
  while (first > 1 && particles.has(fold(parts[first - 1] ?? ''))) first--;
  return parts.slice(first).join(' ');
}

export function hashtag(name: string): string | null {
  const words = letterDigitRuns(name.normalize('NFC'));
  const body = words.map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('');
  return /\p{L}/u.test(body) ? `#${body.slice(0, 64)}` : null;
}
