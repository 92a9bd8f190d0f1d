/**
 * Post templates: how a subscription lays out its briefs, as text with placeholders —
 *
 *     {headline}
 *     {summary}
 *     {people}
 *     — {source}, {date} {hashtags}
 *
 * `full` and `compact` are the two built-in templates (each platform's brief renderer, and
 * plain.ts); any other text is a custom one, rendered here. Everything in a
 * custom template is text, never markup: its literal words and every placeholder's value
 * are escaped for the platform (Telegram HTML, Discord markdown, the terminal), so a
 * hostile value (`@everyone`, `<b>`, 5,000 characters) shows as itself, bounded, and pings
 * no one. A line whose placeholders are all empty (no people, no date) is left out. A
 * result over the platform's limit loses its last summary bullets, whole, until it fits.
 */
import type { Brief } from '../types.js';
import type { BriefLocale } from './labels.js';
import { terminalText } from './text.js';
import { truncate } from './truncate.js';
import { toView } from './view.js';

export const BUILT_IN_TEMPLATES = ['full', 'compact'] as const;
export type BuiltInTemplate = (typeof BUILT_IN_TEMPLATES)[number];

export const PLACEHOLDERS = [
  'headline',
  'link',
  'source',
  'date',
  'summary',
  'people',
  'organisations',
  'places',
  'hashtags',
  'image',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Other spellings people write, and what they mean. */
const ALIASES: Readonly<Record<string, Placeholder>> = {
  title: 'headline',
  url: 'link',
  bullets: 'summary',
  organizations: 'organisations',
  tags: 'hashtags',
};

/** A template's longest text: a post, not a document. */
export const TEMPLATE_MAX = 1000;

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'field'; name: Placeholder };

/** A custom template, read: its lines, each a run of literal text and placeholders. */
export interface CustomTemplate {
  /** As written (for /template to show back). */
  source: string;
  lines: TemplatePart[][];
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/**
 * Reads a custom template. `{{` and `}}` write a brace. Throws TemplateError naming what is
 * wrong (an unknown placeholder, with the known ones; an unclosed brace; no placeholder at
 * all; too long).
 */
export function parseTemplate(source: string): CustomTemplate {
  const text = source.replace(/\r\n?/g, '\n').trim();
  if (text.length > TEMPLATE_MAX) {
    throw new TemplateError(
      `a template is at most ${TEMPLATE_MAX} characters; this one has ${text.length}`,
    );
  }
  const lines: TemplatePart[][] = [];
  let fields = 0;
  for (const line of text.split('\n')) {
    const parts: TemplatePart[] = [];
    let literal = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i] as string;
      if ((ch === '{' || ch === '}') && line[i + 1] === ch) {
        literal += ch;
        i++;
        continue;
      }
      if (ch === '}') throw new TemplateError('a "}" without its "{" (write }} for a brace)');
      if (ch !== '{') {
        literal += ch;
        continue;
      }
      const end = line.indexOf('}', i);
      if (end < 0) throw new TemplateError('a "{" without its "}" (write {{ for a brace)');
      const word = line
        .slice(i + 1, end)
        .trim()
        .toLowerCase();
      const name = (PLACEHOLDERS as readonly string[]).includes(word)
        ? (word as Placeholder)
        : ALIASES[word];
      if (name === undefined) {
        throw new TemplateError(
          `{${word.slice(0, 30)}} is no placeholder; there are ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
        );
      }
      if (literal !== '') parts.push({ kind: 'text', text: literal });
      literal = '';
      parts.push({ kind: 'field', name });
      fields++;
      i = end;
    }
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    lines.push(parts);
  }
  if (fields === 0) {
    throw new TemplateError(
      `a template needs at least one placeholder, such as {headline} or {link}`,
    );
  }
  return { source: text, lines };
}

/**
 * How a platform writes a custom template: its escape for text, a headline, a link, and the
 * most one post takes. Each platform's style sits with its renderer (adapters/telegram/render,
 * adapters/discord/render); the terminal's is here.
 */
export interface TemplateStyle {
  escape(text: string): string;
  headline(escaped: string): string;
  link(url: string): string;
  /** The most one post takes, in UTF-16 units of the text the platform receives. */
  limit: number;
}

/** Plain text for a terminal (the console adapter, `briefwire run` without platforms). */
export const TEXT_TEMPLATE: TemplateStyle = {
  escape: (text) => terminalText(text),
  headline: (escaped) => escaped,
  link: (url) => terminalText(url),
  limit: 4096,
};

// Each value is bounded before it is escaped, so one absurd value cannot crowd out the rest.
const BOUNDS = { headline: 300, source: 100, bullet: 600, actors: 10, actor: 160, link: 2048 };

/** The values of a brief's placeholders for one target, each escaped; `bullets` of them. */
function values(
  brief: Brief,
  style: TemplateStyle,
  locale: BriefLocale | undefined,
): { fields: Record<Exclude<Placeholder, 'summary'>, string>; bullets: string[] } {
  const view = toView(brief, locale);
  const esc = (text: string, max: number) => style.escape(truncate(text, max));
  const group = (...kinds: string[]) =>
    view.groups
      .filter((g) => kinds.includes(g.kind))
      .flatMap((g) => g.actors)
      .slice(0, BOUNDS.actors)
      .map((a) => esc(a.role === null ? a.name : `${a.name} (${a.role})`, BOUNDS.actor))
      .join(', ');
  const image = brief.image !== undefined && /^https?:\/\//i.test(brief.image) ? brief.image : '';
  return {
    fields: {
      headline: style.headline(esc(view.title, BOUNDS.headline)),
      link: view.url === null ? '' : style.link(view.url),
      source: view.source === null ? '' : esc(view.source, BOUNDS.source),
      date: view.date === null ? '' : esc(view.date, 100),
      people: group('person'),
      organisations: group('organization'),
      places: group('country', 'place'),
      hashtags: view.tags.map((tag) => style.escape(tag)).join(' '),
      image: image === '' || image.length > BOUNDS.link ? '' : style.link(image),
    },
    bullets: view.summary.map((sentence) => `• ${esc(sentence, BOUNDS.bullet)}`),
  };
}

/** The template's lines with these values; a line whose placeholders are all empty goes. */
function fill(
  template: CustomTemplate,
  fields: Record<string, string>,
  bullets: readonly string[],
  style: TemplateStyle,
): string {
  const out: string[] = [];
  for (const parts of template.lines) {
    let line = '';
    let hasField = false;
    let filled = false;
    for (const part of parts) {
      if (part.kind === 'text') {
        line += style.escape(part.text);
        continue;
      }
      hasField = true;
      const value = part.name === 'summary' ? bullets.join('\n') : (fields[part.name] ?? '');
      if (value !== '') filled = true;
      line += value;
    }
    if (hasField && !filled) continue;
    out.push(line);
  }
  return out.join('\n').trim();
}

/**
 * A brief through a custom template, in one platform's style, within its limit: the
 * summary's last bullets go first, whole; then, if it still does not fit (a template
 * of many placeholders), it is cut at its last whole line that fits.
 */
export function renderTemplate(
  template: CustomTemplate,
  brief: Brief,
  style: TemplateStyle,
  locale?: BriefLocale,
): string {
  const { limit } = style;
  const { fields, bullets } = values(brief, style, locale);
  for (let keep = bullets.length; keep >= 0; keep--) {
    const text = fill(template, fields, bullets.slice(0, keep), style);
    if (text.length <= limit) return text;
  }
  const lines = fill(template, fields, [], style).split('\n');
  let text = '';
  for (const line of lines) {
    const next = text === '' ? line : `${text}\n${line}`;
    if (next.length > limit - 2) break;
    text = next;
  }
  return `${text}\n…`.trim();
}

const parsed = new Map<string, CustomTemplate | null>();

/**
 * A stored custom template, read (cached by its text); null when it cannot be read (written
 * by hand into the store, or by an older version): its brief is then posted as `full`.
 */
export function storedTemplate(template: unknown): CustomTemplate | null {
  if (template === null || typeof template !== 'object') return null;
  const source = (template as { custom?: unknown }).custom;
  if (typeof source !== 'string') return null;
  let entry = parsed.get(source);
  if (entry === undefined) {
    try {
      entry = parseTemplate(source);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      entry = null;
    }
    if (parsed.size >= 500) parsed.clear();
    parsed.set(source, entry);
  }
  return entry;
}
