/**
 * Independent readers of what the renderers produce, written from the platforms' rules
 * rather than from the renderers' code, so the tests check behaviour and not wiring.
 */

const TELEGRAM_TAG = /^<(\/?)(b|i|a)((?: href="[^"<>]*")?)>/;
const TELEGRAM_ENTITY = /^&(amp|lt|gt|quot);/;
const ENTITY_TEXT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

export interface ParsedHtml {
  /** The text as Telegram shows it, entities decoded and tags removed. */
  text: string;
  hrefs: string[];
}

/**
 * Parses one message the way Telegram's HTML mode must accept it: only known tags,
 * properly nested and all closed, and `&` only as an entity. Throws on anything else.
 */
export function parseTelegramHtml(html: string): ParsedHtml {
  const open: string[] = [];
  const hrefs: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === '<') {
      const tag = TELEGRAM_TAG.exec(html.slice(i, i + 4200));
      if (!tag) throw new Error(`stray "<" at ${i}: ${html.slice(i, i + 30)}`);
      const [whole, closing, name = '', attr = ''] = tag;
      if (closing) {
        if (open.pop() !== name) throw new Error(`unbalanced </${name}> at ${i}`);
      } else {
        if (name === 'a') {
          if (!attr) throw new Error('<a> without href');
          hrefs.push(decodeEntities(attr.slice(' href="'.length, -1)));
        } else if (attr) throw new Error(`attribute on <${name}>`);
        open.push(name);
      }
      i += whole.length;
    } else if (ch === '&') {
      const entity = TELEGRAM_ENTITY.exec(html.slice(i, i + 6));
      if (!entity) throw new Error(`bare "&" at ${i}: ${html.slice(i, i + 10)}`);
      text += ENTITY_TEXT[entity[1] ?? ''];
      i += entity[0].length;
    } else if (ch === '>') {
      throw new Error(`unescaped ">" at ${i}`);
    } else {
      text += ch;
      i++;
    }
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join('>, <')}>`);
  return { text, hrefs };
}

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot);/g, (_, name: string) => ENTITY_TEXT[name] ?? '');
}

const MARKDOWN_SPECIAL = new Set(['*', '_', '~', '`', '|', '>', '[', ']', '(', ')']);
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * Reads Discord markdown the way its parser treats escapes (a backslash before ASCII
 * punctuation shows that character) and returns the characters that would still act as
 * markup: unescaped formatting characters, and `#`, `-` or `1.` opening the text.
 */
export function activeMarkdown(markdown: string): string[] {
  const active: string[] = [];
  if (/^(#|-|\d+\.)/.test(markdown)) active.push(markdown[0] ?? '');
  for (let i = 0; i < markdown.length; i++) {
    const ch = markdown[i] ?? '';
    if (ch === '\\' && ASCII_PUNCTUATION.test(markdown[i + 1] ?? '')) {
      i++;
    } else if (MARKDOWN_SPECIAL.has(ch) || ch === '\\') {
      active.push(ch);
    }
  }
  return active;
}

/** What a Discord user sees of escaped text: backslash escapes and our ZWSPs removed. */
export function shownMarkdown(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1').replace(/\u200b/g, '');
}

/**
 * Splits an actor field line `**name** — role` (or `**name**`) into its escaped parts,
 * finding the closing `**` with escapes taken into account.
 */
export function splitActorLine(line: string): { name: string; rest: string } | null {
  if (!line.startsWith('**')) return null;
  for (let i = 2; i < line.length; i++) {
    if (line[i] === '\\') {
      i++;
    } else if (line.startsWith('**', i)) {
      const rest = line.slice(i + 2);
      return { name: line.slice(2, i), rest: rest.startsWith(' — ') ? rest.slice(3) : rest };
    }
  }
  return null;
}

/** Every form Discord turns into a ping or a clickable mention. */
export const MENTION = /@(everyone|here)|<@[!&]?\d+>|<#\d+>|<\/[\w -]+:\d+>|<[@#/]/i;

export const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Characters feed text must never smuggle into any output (newlines are ours). */
export const FORBIDDEN_INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: detecting them is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200c-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
