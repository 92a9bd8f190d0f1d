/**
 * A Telegram Bot API server of our own on 127.0.0.1, for the real grammY client
 * (`new Bot(api.token, { client: { apiRoot: api.apiRoot } })`). It answers like
 * https://core.telegram.org/bots/api does: `{ok:true,result}` or
 * `{ok:false,error_code,description,parameters?}` with the matching HTTP status, parses
 * HTML the way Telegram does, enforces Telegram's rate limits, long-polls, and records
 * every call so that tests and the bench can look at what a bot did.
 *
 * Plain Node APIs only (no test framework): the bench imports it too.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  BotCommand,
  BotCommandScope,
  MessageEntity,
  Update,
  UserFromGetMe,
} from 'grammy/types';

// ---------------------------------------------------------------------------------------------
// Public types

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';
export type MemberStatus =
  | 'creator'
  | 'administrator'
  | 'member'
  | 'restricted'
  | 'left'
  | 'kicked';

export interface ChatSpec {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  /** A supergroup with forum topics (Chat.is_forum); messages then go to a topic or General. */
  is_forum?: boolean;
}

export interface UserSpec {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_bot?: boolean;
}

/** At most `count` accepted sends in any `perMs` window. */
export interface RateLimit {
  count: number;
  perMs: number;
}

export interface TelegramApiOptions {
  /** Default `123456:TEST-token`; the bot's id is the part before ':'. */
  token?: string;
  /** getMe's username, default `briefwire_test_bot`. */
  botUsername?: string;
  /** getMe's first_name, default `briefwire`. */
  botName?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Telegram's limits; `false` switches all off, `false` for one switches that one off. */
  rateLimits?:
    | false
    | {
        /** Across the bot; default 30 per 1000 ms. */
        global?: RateLimit | false;
        /** In any one chat (private, group, channel); default 1 per 1000 ms. */
        perChat?: RateLimit | false;
        /** In one group or supergroup, on top of perChat; default 20 per 60 000 ms. */
        perGroup?: RateLimit | false;
      };
  /**
   * Tolerance: a send is allowed when fewer than `count` accepted sends fall in the last
   * `perMs - slackMs` ms. Default 0: a window is a full `perMs`, counted from when each
   * request arrived, as Telegram counts; a client whose sends arrive 0.99 s apart in one
   * chat gets its 429 here as it would there.
   */
  slackMs?: number;
  /**
   * A `&` that starts no entity: refused like an unknown tag (default, so that a missing
   * escape is caught), or kept as a literal `&` as Telegram itself does (`false`).
   */
  strictAmpersand?: boolean;
  /**
   * Round trip of the network, in ms (default 0): half of it before a request arrives (is
   * counted against the limits), half before its answer is back, as on the internet.
   */
  latencyMs?: number;
}

/** One API call as the server saw it. `status` 0: no answer (socket destroyed, client gone). */
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** Receive time, epoch ms (sub-millisecond, monotonic). */
  at: number;
  status: number;
  response: unknown;
}

export interface SentDocument {
  fileId: string;
  fileName: string | undefined;
  mimeType: string | undefined;
  /** The uploaded bytes; undefined when sent by file_id or URL. */
  content: Buffer | undefined;
  /** The URL when sent by URL. */
  url: string | undefined;
}

/** A photo sent with sendPhoto: uploaded, or fetched from its URL as Telegram fetches it. */
export interface SentPhoto {
  fileId: string;
  /** The URL when sent by URL; undefined for an upload. */
  url: string | undefined;
  /** The bytes: uploaded, or as fetched from the URL. */
  content: Buffer;
}

/**
 * What Telegram takes by URL for a photo: at most 5 MB (Bot API, "Sending files": "5 MB
 * max size for photos"), of an image type; uploads up to 10 MB (sendPhoto).
 */
export const PHOTO_URL_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** A message the bot sent and the server accepted. Mutated by edits and deletes. */
export interface SentMessage {
  chatId: number;
  messageId: number;
  method: 'sendMessage' | 'sendDocument' | 'sendPhoto';
  /** Text or caption as sent, before parsing. */
  rawText: string;
  parseMode: string | undefined;
  /** The plain text after entity parsing (the caption for documents). */
  text: string;
  entities: MessageEntity[];
  replyMarkup: unknown;
  linkPreviewOptions: unknown;
  disableWebPagePreview: boolean | undefined;
  replyToMessageId: number | undefined;
  /** The forum topic it was sent to (message_thread_id); undefined: the chat (General). */
  threadId: number | undefined;
  document: SentDocument | undefined;
  /** sendPhoto's photo. */
  photo?: SentPhoto;
  /** Unix seconds, as in Message.date. */
  date: number;
  /** Receive time, epoch ms. */
  at: number;
  edits: number;
  deleted: boolean;
}

export interface CallbackAnswer {
  callbackQueryId: string;
  text: string | undefined;
  showAlert: boolean | undefined;
  url: string | undefined;
  cacheTime: number | undefined;
  at: number;
}

export interface WebhookState {
  url: string;
  secretToken: string | undefined;
  allowedUpdates: string[] | undefined;
  maxConnections: number | undefined;
  dropPendingUpdates: boolean;
}

export type FailureSpec = { status: number; description: string; parameters?: ErrorParameters };

export interface ErrorParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export interface TelegramApiStats {
  calls: number;
  tooManyRequests: number;
  byMethod: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Errors and replies

type Json = Record<string, unknown>;

interface Reply {
  status: number;
  body: unknown;
  /** Answer nothing: destroy the socket. */
  network?: boolean;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: ErrorParameters,
  ) {
    super(description);
  }

  reply(): Reply {
    return {
      status: this.status,
      body: {
        ok: false,
        error_code: this.status,
        description: this.description,
        ...(this.parameters ? { parameters: this.parameters } : {}),
      },
    };
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);
const ok = (result: unknown, description?: string): Reply => ({
  status: 200,
  body: description === undefined ? { ok: true, result } : { ok: true, result, description },
});

// ---------------------------------------------------------------------------------------------
// HTML parse mode, as Telegram (TDLib's parse_html) does it

export class EntityParseError extends Error {}

const HTML_TAGS = new Set(
  'a b strong i em u ins s strike del tg-spoiler tg-emoji span pre code blockquote'.split(' '),
);

const SIMPLE_ENTITY: Record<string, MessageEntity['type']> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
};

const isSpace = (c: string | undefined) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** `&lt;` `&gt;` `&amp;` `&quot;` and numeric entities, `;` required; undefined otherwise. */
function decodeEntity(src: string, at: number): { char: string; end: number } | undefined {
  const semicolon = src.indexOf(';', at + 1);
  if (semicolon < 0 || semicolon - at > 12) return undefined;
  const name = src.slice(at + 1, semicolon);
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
  const char = named[name];
  if (char !== undefined) return { char, end: semicolon + 1 };
  const numeric = /^#(?:([0-9]+)|[xX]([0-9a-fA-F]+))$/.exec(name);
  if (!numeric) return undefined;
  const code =
    numeric[1] !== undefined ? Number(numeric[1]) : Number.parseInt(numeric[2] ?? '', 16);
  if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { char: String.fromCodePoint(code), end: semicolon + 1 };
}

/** Telegram's check_link: http(s)/tg/ton links, a scheme-less one taken as http; normalised. */
function checkLink(raw: string): string | undefined {
  let url = raw.trim();
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) url = `http://${url}`;
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:', 'tg:', 'ton:'].includes(parsed.protocol)) return undefined;
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.hostname) {
      return undefined;
    }
    return parsed.href;
  } catch {
    return undefined;
  }
}

/**
 * Parses Telegram's HTML. Throws EntityParseError with Telegram's reason ("Unsupported start
 * tag "x" at byte offset N", ...). Entity offsets and lengths are in UTF-16 code units.
 */
export function parseTelegramHtml(
  src: string,
  options: { strictAmpersand?: boolean; userOf?: (id: number) => Json } = {},
): { text: string; entities: MessageEntity[] } {
  const strictAmpersand = options.strictAmpersand ?? true;
  const byteOffset = (index: number) => Buffer.byteLength(src.slice(0, index), 'utf8');
  const fail = (reason: string, index?: number): never => {
    throw new EntityParseError(
      index === undefined ? reason : `${reason} at byte offset ${byteOffset(index)}`,
    );
  };
  const n = src.length;
  let text = '';
  const entities: MessageEntity[] = [];
  /** The language of a `code` entity, until a `pre` around it takes it. */
  const codeLanguage = new Map<MessageEntity, string>();
  const open: Array<{ tag: string; argument: string; offset: number }> = [];
  let i = 0;
  while (i < n) {
    const c = src[i];
    if (c === '&') {
      const entity = decodeEntity(src, i);
      if (entity) {
        text += entity.char;
        i = entity.end;
        continue;
      }
      if (strictAmpersand) fail('Character "&" must be escaped as "&amp;"', i);
      text += c;
      i++;
      continue;
    }
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    const begin = i;
    i++;
    if (src[i] !== '/') {
      // A start tag.
      while (i < n && !isSpace(src[i]) && src[i] !== '>') i++;
      if (i >= n) fail('Unclosed start tag', begin);
      const tag = src.slice(begin + 1, i).toLowerCase();
      if (!HTML_TAGS.has(tag)) fail(`Unsupported start tag "${tag}"`, begin);
      let argument = '';
      while (src[i] !== '>') {
        while (i < n && isSpace(src[i])) i++;
        if (i >= n) fail(`Unclosed start tag "${tag}"`, begin);
        if (src[i] === '>') break;
        const nameBegin = i;
        while (i < n && !isSpace(src[i]) && src[i] !== '=' && src[i] !== '>') i++;
        const attribute = src.slice(nameBegin, i).toLowerCase();
        if (attribute === '') fail(`Empty attribute name in the tag "${tag}"`, begin);
        while (i < n && isSpace(src[i])) i++;
        if (i >= n) fail(`Unclosed start tag "${tag}"`, begin);
        if (src[i] !== '=') {
          if (tag === 'blockquote' && attribute === 'expandable') {
            argument = 'expandable';
            continue;
          }
          fail(`Expected equal sign in declaration of an attribute of the tag "${tag}"`, begin);
        }
        i++;
        while (i < n && isSpace(src[i])) i++;
        if (i >= n) fail(`Unclosed start tag "${tag}"`, begin);
        let value = '';
        const quote = src[i];
        if (quote !== '"' && quote !== "'") {
          // A name token: letters, digits, periods, hyphens; not case-sensitive.
          const tokenBegin = i;
          while (i < n && /[A-Za-z0-9.-]/.test(src[i] ?? '')) i++;
          value = src.slice(tokenBegin, i).toLowerCase();
          if (i >= n || (!isSpace(src[i]) && src[i] !== '>')) {
            fail('Unexpected end of name token', tokenBegin);
          }
        } else {
          i++;
          while (i < n && src[i] !== quote) {
            const entity = src[i] === '&' ? decodeEntity(src, i) : undefined;
            if (entity) {
              value += entity.char;
              i = entity.end;
            } else {
              value += src[i];
              i++;
            }
          }
          if (i >= n) fail('Unclosed start tag', begin);
          i++;
          if (i >= n) fail('Unclosed start tag', begin);
        }
        if (tag === 'a' && attribute === 'href') argument = value;
        else if (tag === 'code' && attribute === 'class' && value.startsWith('language-')) {
          argument = value.slice('language-'.length);
        } else if (tag === 'span' && attribute === 'class' && value.startsWith('tg-')) {
          argument = value.slice('tg-'.length);
        } else if (tag === 'tg-emoji' && attribute === 'emoji-id') argument = value;
      }
      i++; // '>'
      if (tag === 'span' && argument !== 'spoiler') {
        fail('Tag "span" must have class "tg-spoiler"', begin);
      }
      open.push({ tag, argument, offset: text.length });
      continue;
    }
    // An end tag.
    if (open.length === 0) fail('Unexpected end tag', begin);
    let j = i + 1;
    while (j < n && !isSpace(src[j]) && src[j] !== '>') j++;
    const endName = src.slice(i + 1, j).toLowerCase();
    while (j < n && isSpace(src[j])) j++;
    if (src[j] !== '>') fail('Unclosed end tag', begin);
    const top = open.pop() as { tag: string; argument: string; offset: number };
    if (endName !== '' && endName !== top.tag) {
      throw new EntityParseError(
        `Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${top.tag}>", found "</${endName}>"`,
      );
    }
    i = j + 1;
    const offset = top.offset;
    const length = text.length - offset;
    if (length <= 0) continue;
    const last = entities.at(-1);
    const sameRange = last !== undefined && last.offset === offset && last.length === length;
    const simple = SIMPLE_ENTITY[top.tag];
    if (simple) {
      entities.push({ type: simple, offset, length } as MessageEntity);
    } else if (top.tag === 'a') {
      const url = top.argument || text.slice(offset);
      const mention = /^tg:\/\/user\?id=(\d+)$/i.exec(url.trim());
      if (mention) {
        const id = Number(mention[1]);
        const user = options.userOf?.(id) ?? { id, is_bot: false, first_name: '' };
        entities.push({ type: 'text_mention', offset, length, user } as unknown as MessageEntity);
      } else {
        const checked = checkLink(url);
        if (checked !== undefined)
          entities.push({ type: 'text_link', offset, length, url: checked });
      }
    } else if (top.tag === 'code') {
      if (last?.type === 'pre' && sameRange) {
        if (top.argument) last.language = top.argument;
      } else {
        const code: MessageEntity = { type: 'code', offset, length };
        if (top.argument) codeLanguage.set(code, top.argument);
        entities.push(code);
      }
    } else if (top.tag === 'pre') {
      const language = last?.type === 'code' && sameRange ? codeLanguage.get(last) : undefined;
      if (last?.type === 'code' && sameRange) entities.pop();
      entities.push(
        language ? { type: 'pre', offset, length, language } : { type: 'pre', offset, length },
      );
    } else if (top.tag === 'blockquote') {
      const type = top.argument === 'expandable' ? 'expandable_blockquote' : 'blockquote';
      entities.push({ type, offset, length });
    } else if (top.tag === 'tg-emoji' && /^\d+$/.test(top.argument)) {
      entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: top.argument });
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text, entities: sortEntities(entities) };
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities
    .map((entity, index) => ({ entity, index }))
    .sort(
      (a, b) =>
        a.entity.offset - b.entity.offset || b.entity.length - a.entity.length || a.index - b.index,
    )
    .map(({ entity }) => entity);
}

/** Leading and trailing white space go, as Telegram trims a message; entities follow. */
function trimFormatted(
  text: string,
  entities: MessageEntity[],
): { text: string; entities: MessageEntity[] } {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;
  if (start === 0 && end === text.length) return { text, entities };
  const kept: MessageEntity[] = [];
  for (const entity of entities) {
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (to > from) kept.push({ ...entity, offset: from - start, length: to - from });
  }
  return { text: text.slice(start, end), entities: kept };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const NO_AUTO_INSIDE = new Set(['pre', 'code', 'text_link', 'text_mention', 'custom_emoji']);

/**
 * The entities Telegram finds by itself in any text: url, mention, hashtag, bot_command
 * (an approximation of TDLib's rules), never inside code, pre or a link.
 */
export function detectEntities(text: string, existing: MessageEntity[] = []): MessageEntity[] {
  const taken: Array<[number, number]> = existing
    .filter((e) => NO_AUTO_INSIDE.has(e.type))
    .map((e) => [e.offset, e.offset + e.length]);
  const found: MessageEntity[] = [];
  const add = (
    type: 'url' | 'mention' | 'hashtag' | 'bot_command',
    offset: number,
    length: number,
  ) => {
    const end = offset + length;
    if (taken.some(([a, b]) => offset < b && end > a)) return;
    taken.push([offset, end]);
    found.push({ type, offset, length });
  };
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+/giu)) {
    const url = m[0].replace(/[.,;:!?'")\]}]+$/u, '');
    if (url.length > m[0].indexOf('//') + 2) add('url', m.index, url.length);
  }
  for (const m of text.matchAll(
    /(^|\s)(\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)(?![\w/])/gu,
  )) {
    add('bot_command', m.index + (m[1] ?? '').length, (m[2] ?? '').length);
  }
  for (const m of text.matchAll(/(^|[^\w@])(@[A-Za-z0-9_]{5,32})(?!\w)/gu)) {
    add('mention', m.index + (m[1] ?? '').length, (m[2] ?? '').length);
  }
  for (const m of text.matchAll(/(^|[^\p{L}\p{N}_#])(#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu)) {
    add('hashtag', m.index + (m[1] ?? '').length, (m[2] ?? '').length);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Requests: params from the query string and a JSON, urlencoded or multipart body

interface Upload {
  kind: 'upload';
  fileName: string | undefined;
  mimeType: string | undefined;
  data: Buffer;
}

const isUpload = (value: unknown): value is Upload =>
  typeof value === 'object' && value !== null && (value as Upload).kind === 'upload';

/** Fields Telegram takes as JSON-serialised objects in urlencoded and multipart bodies. */
const JSON_FIELDS = new Set(
  `reply_markup link_preview_options entities caption_entities allowed_updates commands scope
  reply_parameters`.split(/\s+/),
);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerParam(header: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i').exec(
    header,
  );
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim();
}

/**
 * multipart/form-data as grammY writes it (`content-disposition:form-data;name="x";filename=a b.txt`,
 * no space after the colon, the file name unquoted), which Node's own Request.formData() refuses.
 */
function parseMultipart(body: Buffer, boundary: string): Record<string, string | Upload> {
  const fields: Record<string, string | Upload> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) break; // closing "--"
    if (body[at] === 0x0d && body[at + 1] === 0x0a) at += 2;
    const headersEnd = body.indexOf('\r\n\r\n', at);
    if (headersEnd < 0) break;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    const dataEnd = next < 0 ? body.length : next;
    const headers: Record<string, string> = {};
    for (const line of body.subarray(at, headersEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const disposition = headers['content-disposition'] ?? '';
    const name = headerParam(disposition, 'name');
    const fileName = headerParam(disposition, 'filename');
    const data = body.subarray(headersEnd + 4, dataEnd);
    if (name !== undefined) {
      fields[name] =
        fileName !== undefined || headers['content-type'] === 'application/octet-stream'
          ? { kind: 'upload', fileName, mimeType: headers['content-type'], data: Buffer.from(data) }
          : data.toString('utf8');
    }
    if (next < 0) break;
    at = next + 2;
  }
  return fields;
}

function parseParams(req: IncomingMessage, url: URL, body: Buffer): Json {
  const params: Json = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length > 0) {
    if (type.startsWith('application/json')) {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw badRequest('parameters must be a JSON object');
      }
      Object.assign(params, parsed);
    } else if (type.startsWith('multipart/form-data')) {
      const boundary = headerParam(req.headers['content-type'] ?? '', 'boundary');
      if (!boundary) throw badRequest('multipart/form-data without a boundary');
      const fields = parseMultipart(body, boundary);
      // `attach://<name>` points at another part, the one holding the file.
      const attached = new Set<string>();
      for (const [key, value] of Object.entries(fields)) {
        const part =
          typeof value === 'string' && value.startsWith('attach://')
            ? value.slice('attach://'.length)
            : undefined;
        const file = part === undefined ? undefined : fields[part];
        if (part !== undefined && file !== undefined) attached.add(part);
        params[key] = file ?? value;
      }
      for (const part of attached) delete params[part];
    } else {
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = value;
    }
  }
  for (const key of JSON_FIELDS) {
    const value = params[key];
    if (typeof value === 'string') {
      try {
        params[key] = JSON.parse(value);
      } catch {
        throw badRequest(`can't parse ${key} JSON object`);
      }
    }
  }
  return params;
}

function optionalString(params: Json, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest(`field "${key}" must be of type String`);
}

function optionalInt(params: Json, key: string): number | undefined {
  const value = params[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw badRequest(`field "${key}" must be of type Integer`);
  return Math.trunc(number);
}

function optionalBool(params: Json, key: string): boolean | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  throw badRequest(`field "${key}" must be of type Boolean`);
}

const withoutUndefined = (object: Json): Json =>
  Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));

// ---------------------------------------------------------------------------------------------
// The server

const METHODS = [
  'getMe',
  'getUpdates',
  'setWebhook',
  'deleteWebhook',
  'getWebhookInfo',
  'sendMessage',
  'editMessageText',
  'deleteMessage',
  'sendDocument',
  'sendPhoto',
  'getFile',
  'answerCallbackQuery',
  'getChatMember',
  'getChatAdministrators',
  'getChat',
  'setMyCommands',
  'getMyCommands',
  'deleteMyCommands',
  'sendChatAction',
] as const;
type Method = (typeof METHODS)[number];
const CANONICAL = new Map<string, Method>(METHODS.map((m) => [m.toLowerCase(), m]));

/** Update types Telegram leaves out unless allowed_updates names them. */
const OPT_IN_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

const CHAT_ACTIONS = new Set(
  `typing upload_photo record_video upload_video record_voice upload_voice upload_document
  choose_sticker find_location record_video_note upload_video_note`.split(/\s+/),
);

const SCOPES = new Set(
  `default all_private_chats all_group_chats all_chat_administrators chat chat_administrators
  chat_member`.split(/\s+/),
);

const DEFAULT_LIMITS = {
  global: { count: 30, perMs: 1000 },
  perChat: { count: 1, perMs: 1000 },
  perGroup: { count: 20, perMs: 60_000 },
} as const;

/** The placeholder `from` of what an anonymous group admin writes (and of service messages). */
const GROUP_ANONYMOUS_BOT = {
  id: 1087968824,
  is_bot: true,
  first_name: 'Group',
  username: 'GroupAnonymousBot',
} as const;

const clock = () => performance.timeOrigin + performance.now();
const unixNow = () => Math.floor(Date.now() / 1000);

interface ChatState {
  info: ChatSpec;
  nextMessageId: number;
  blocked: boolean;
  members: Map<number, MemberStatus>;
  /** Forum topics by message_thread_id (the id of the topic's creation message). */
  topics: Map<number, { name: string; closed: boolean }>;
}

interface StoredMessage {
  /** The Message object as Telegram would give it back. */
  message: Json;
  fromBot: boolean;
  sent: SentMessage | undefined;
}

interface PendingPoll {
  offset: number | undefined;
  limit: number;
  finish: (reply: Reply) => void;
  timer: NodeJS.Timeout;
}

export class TelegramApi extends EventEmitter {
  readonly token: string;
  readonly botId: number;
  readonly me: UserFromGetMe;
  apiRoot = '';
  /** Every call, in the order they were answered. */
  readonly calls: ApiCall[] = [];
  readonly callbackAnswers: CallbackAnswer[] = [];
  webhook: WebhookState | undefined;

  private readonly server: Server;
  private readonly limits: { global?: RateLimit; perChat?: RateLimit; perGroup?: RateLimit };
  private readonly slackMs: number;
  private readonly latencyMs: number;
  private readonly strictAmpersand: boolean;
  private readonly chats = new Map<number, ChatState>();
  private readonly migrated = new Map<number, number>();
  private readonly users = new Map<number, Json>();
  private readonly stored = new Map<string, StoredMessage>();
  private readonly sent: SentMessage[] = [];
  private readonly commandSets = new Map<string, BotCommand[]>();
  private readonly queue: Update[] = [];
  private readonly windows = new Map<string, number[]>();
  private readonly failures: Array<{ method: string; failure: FailureSpec | 'network' }> = [];
  private readonly openCallbacks = new Set<string>();
  private readonly files = new Map<string, SentDocument>();
  private readonly counters: TelegramApiStats = { calls: 0, tooManyRequests: 0, byMethod: {} };
  private allowedUpdates: string[] = [];
  private nextUpdateId = 1;
  private nextFileId = 1;
  private nextCallbackId = 1;
  private storm = { times: 0, retryAfter: 1 };
  private poll: PendingPoll | undefined;
  private closed = false;

  constructor(options: TelegramApiOptions = {}) {
    super();
    this.token = options.token ?? '123456:TEST-token';
    this.botId = Number(this.token.split(':')[0]);
    if (!Number.isSafeInteger(this.botId)) throw new Error(`not a bot token: ${this.token}`);
    this.me = {
      id: this.botId,
      is_bot: true,
      first_name: options.botName ?? 'briefwire',
      username: options.botUsername ?? 'briefwire_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    const limits = options.rateLimits;
    const pick = (key: keyof typeof DEFAULT_LIMITS): RateLimit | undefined => {
      if (limits === false) return undefined;
      const chosen = limits?.[key];
      return chosen === false ? undefined : { ...(chosen ?? DEFAULT_LIMITS[key]) };
    };
    this.limits = withoutUndefined({
      global: pick('global'),
      perChat: pick('perChat'),
      perGroup: pick('perGroup'),
    }) as typeof this.limits;
    this.slackMs = options.slackMs ?? 0;
    this.latencyMs = options.latencyMs ?? 0;
    this.strictAmpersand = options.strictAmpersand ?? true;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: internalError(error) });
      });
    });
    // grammY keeps sockets alive; the server must not close them under its feet.
    this.server.keepAliveTimeout = 120_000;
    this.server.requestTimeout = 0;
  }

  /** @internal */
  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        const { port: bound } = this.server.address() as AddressInfo;
        this.apiRoot = `http://127.0.0.1:${bound}`;
        resolve();
      });
    });
  }

  /** Ends a pending long poll (with no updates) and closes every socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.endPoll(ok([]));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ----- the world: chats, users, members

  addChat(chat: ChatSpec): this {
    const info = { ...chat };
    if (info.type !== 'private' && info.title === undefined) info.title = `Chat ${chat.id}`;
    if (info.type === 'private') {
      info.first_name ??= `User ${chat.id}`;
      if (!this.users.has(chat.id)) {
        this.addUser(
          withoutUndefined({
            id: chat.id,
            first_name: info.first_name,
            last_name: info.last_name,
            username: info.username,
          }) as unknown as UserSpec,
        );
      }
    }
    this.chats.set(chat.id, {
      info,
      nextMessageId: 1,
      blocked: false,
      members: new Map(),
      topics: new Map(),
    });
    this.migrated.delete(chat.id);
    return this;
  }

  addUser(user: UserSpec): this {
    const { id, is_bot = false, ...rest } = user;
    this.users.set(id, withoutUndefined({ id, is_bot, ...rest }));
    return this;
  }

  setMember(chatId: number, userId: number, status: MemberStatus): this {
    this.chatState(chatId).members.set(userId, status);
    return this;
  }

  /** sendMessage answers 403 (blocked by the user / kicked from the group / not in the channel). */
  blockChat(chatId: number): this {
    this.chatState(chatId).blocked = true;
    return this;
  }

  unblockChat(chatId: number): this {
    this.chatState(chatId).blocked = false;
    return this;
  }

  /**
   * A forum topic is created in a forum supergroup (is_forum); returns its message_thread_id,
   * which is, as on Telegram, the id of the service message that created it.
   */
  addTopic(chatId: number, name: string): number {
    const chat = this.chatState(chatId);
    if (chat.info.type !== 'supergroup' || !chat.info.is_forum) {
      throw new Error(`addTopic: chat ${chatId} is no forum supergroup`);
    }
    const topicId = chat.nextMessageId++;
    chat.topics.set(topicId, { name, closed: false });
    this.store(
      chatId,
      {
        message_id: topicId,
        message_thread_id: topicId,
        is_topic_message: true,
        chat: this.chatObject(chat.info),
        date: unixNow(),
        forum_topic_created: { name, icon_color: 7322096 },
      },
      false,
      undefined,
    );
    return topicId;
  }

  /** The topic is deleted: sending to it answers 400 "message thread not found". */
  deleteTopic(chatId: number, topicId: number): this {
    this.chatState(chatId).topics.delete(topicId);
    return this;
  }

  /** The topic is closed: sending to it answers 400 "TOPIC_CLOSED". */
  closeTopic(chatId: number, topicId: number, closed = true): this {
    const topic = this.chatState(chatId).topics.get(topicId);
    if (!topic) throw new Error(`closeTopic: no topic ${topicId} in ${chatId}`);
    topic.closed = closed;
    return this;
  }

  /** The chat is gone: 400 "chat not found". */
  removeChat(chatId: number): this {
    this.chats.delete(chatId);
    return this;
  }

  /**
   * The group becomes a supergroup: the old id answers 400 with migrate_to_chat_id, the new
   * one works. Pushes the two service messages Telegram sends (unless `silent`), the first
   * from user `by` (default: the bot).
   */
  migrateChat(
    groupId: number,
    supergroupId: number,
    options: { silent?: boolean; by?: number } = {},
  ): this {
    const group = this.chatState(groupId);
    this.chats.set(supergroupId, {
      info: { ...group.info, id: supergroupId, type: 'supergroup' },
      nextMessageId: 1,
      blocked: group.blocked,
      members: new Map(group.members),
      topics: new Map(),
    });
    if (!options.silent) {
      const date = unixNow();
      this.pushUpdate(
        asUpdate({
          message: {
            message_id: group.nextMessageId++,
            from: this.userObject(options.by ?? this.botId),
            chat: this.chatObject(group.info),
            date,
            migrate_to_chat_id: supergroupId,
          },
        }),
      );
      const supergroup = this.chatState(supergroupId);
      this.pushUpdate(
        asUpdate({
          message: {
            message_id: supergroup.nextMessageId++,
            from: { ...GROUP_ANONYMOUS_BOT },
            sender_chat: this.chatObject(supergroup.info),
            chat: this.chatObject(supergroup.info),
            date,
            migrate_from_chat_id: groupId,
          },
        }),
      );
    }
    this.chats.delete(groupId);
    this.migrated.set(groupId, supergroupId);
    return this;
  }

  // ----- switches for platform errors

  /** The next `times` calls of `method` fail with that answer, or with no answer at all. */
  failNext(method: string, failure: FailureSpec | 'network', times = 1): this {
    for (let k = 0; k < times; k++) this.failures.push({ method: method.toLowerCase(), failure });
    return this;
  }

  /** The next `times` message sends get 429 with this retry_after, whatever the windows say. */
  rateLimitStorm(times: number, retryAfter: number): this {
    this.storm = { times, retryAfter };
    return this;
  }

  // ----- updates

  /** Queues an update (update_id assigned unless given) and wakes a pending getUpdates. */
  pushUpdate(update: Partial<Update>): Update {
    const full = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, full.update_id + 1);
    this.queue.push(full);
    this.emit('update', full);
    this.wakePoll();
    return full;
  }

  /**
   * A user writes `text` in a private chat or group: a `message` update; with `topic`, in
   * that forum topic (message_thread_id, is_topic_message), as Telegram delivers it.
   */
  sendText(chatId: number, userId: number, text: string, options: { topic?: number } = {}): Update {
    const chat = this.chatState(chatId);
    if (chat.info.type === 'channel') throw new Error('sendText: use postInChannel for a channel');
    if (options.topic !== undefined && !chat.topics.has(options.topic)) {
      throw new Error(`sendText: no topic ${options.topic} in ${chatId}`);
    }
    const message = withoutUndefined({
      message_id: chat.nextMessageId++,
      message_thread_id: options.topic,
      is_topic_message: options.topic === undefined ? undefined : true,
      from: this.userObject(userId),
      chat: this.chatObject(chat.info),
      date: unixNow(),
      text,
      entities: nonEmpty(detectEntities(text)),
    });
    this.store(chatId, message, false, undefined);
    return this.pushUpdate(asUpdate({ message }));
  }

  /**
   * An admin who chose "Remain anonymous" writes in a group, as Telegram delivers it: `from`
   * is the placeholder @GroupAnonymousBot (`is_bot: true`), `sender_chat` the group itself.
   */
  sendAsAnonymousAdmin(chatId: number, text: string): Update {
    const chat = this.chatState(chatId);
    if (chat.info.type !== 'group' && chat.info.type !== 'supergroup') {
      throw new Error(`sendAsAnonymousAdmin: chat ${chatId} is no group`);
    }
    const message = withoutUndefined({
      message_id: chat.nextMessageId++,
      from: { ...GROUP_ANONYMOUS_BOT },
      sender_chat: this.chatObject(chat.info),
      chat: this.chatObject(chat.info),
      date: unixNow(),
      text,
      entities: nonEmpty(detectEntities(text)),
    });
    this.store(chatId, message, false, undefined);
    return this.pushUpdate(asUpdate({ message }));
  }

  /** A user sends a file, with a caption (`/import`): a `message` update with a document. */
  sendFile(
    chatId: number,
    userId: number,
    fileName: string,
    content: string,
    caption: string,
  ): Update {
    const chat = this.chatState(chatId);
    const fileId = `BQACAgIAAxkBAAI${String(this.nextFileId++).padStart(6, '0')}`;
    const data = Buffer.from(content, 'utf8');
    this.files.set(fileId, {
      fileId,
      fileName,
      mimeType: mimeFor(fileName, undefined),
      content: data,
      url: undefined,
    });
    const message = withoutUndefined({
      message_id: chat.nextMessageId++,
      from: this.userObject(userId),
      chat: this.chatObject(chat.info),
      date: unixNow(),
      document: {
        file_id: fileId,
        file_unique_id: `AgAD${fileId.slice(-6)}`,
        file_name: fileName,
        file_size: data.length,
      },
      caption,
      caption_entities: nonEmpty(detectEntities(caption)),
    });
    this.store(chatId, message, false, undefined);
    return this.pushUpdate(asUpdate({ message }));
  }

  /** A post in a channel: a `channel_post` update, no `from`, `sender_chat` the channel. */
  postInChannel(
    chatId: number,
    text: string,
    options: { authorSignature?: string; senderChat?: ChatSpec } = {},
  ): Update {
    const chat = this.chatState(chatId);
    if (chat.info.type !== 'channel')
      throw new Error(`postInChannel: chat ${chatId} is no channel`);
    const message = withoutUndefined({
      message_id: chat.nextMessageId++,
      sender_chat: options.senderChat
        ? this.chatObject(options.senderChat)
        : this.chatObject(chat.info),
      chat: this.chatObject(chat.info),
      date: unixNow(),
      author_signature: options.authorSignature,
      text,
      entities: nonEmpty(detectEntities(text)),
    });
    this.store(chatId, message, false, undefined);
    return this.pushUpdate(asUpdate({ channel_post: message }));
  }

  /** A user presses an inline button under message `messageId`: a `callback_query` update. */
  pressButton(chatId: number, userId: number, messageId: number, data: string): Update {
    const stored = this.stored.get(`${chatId}:${messageId}`);
    if (!stored) throw new Error(`pressButton: no message ${messageId} in chat ${chatId}`);
    const id = `${this.botId}${String(this.nextCallbackId++).padStart(8, '0')}`;
    this.openCallbacks.add(id);
    return this.pushUpdate(
      asUpdate({
        callback_query: {
          id,
          from: this.userObject(userId),
          message: stored.message,
          chat_instance: String(-Math.abs(chatId) * 7919),
          data,
        },
      }),
    );
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): readonly Update[] {
    return this.queue;
  }

  /** Whether a getUpdates is parked, waiting for updates. */
  get polling(): boolean {
    return this.poll !== undefined;
  }

  /**
   * POSTs the update to the URL given to setWebhook, with the secret token header; returns the
   * HTTP status the bot's webhook answered. A queued update (sendText, pushUpdate...) that the
   * webhook took (2xx) leaves the queue.
   */
  async deliverWebhook(update: Partial<Update>): Promise<number> {
    const webhook = this.webhook;
    if (!webhook) throw new Error('deliverWebhook: no webhook is set');
    const full = { ...update, update_id: update.update_id ?? this.nextUpdateId++ };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (webhook.secretToken !== undefined) {
      headers['x-telegram-bot-api-secret-token'] = webhook.secretToken;
    }
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(full),
    });
    await response.arrayBuffer();
    if (response.ok) {
      // Delivered: no longer pending (getWebhookInfo's pending_update_count).
      const index = this.queue.findIndex((u) => u.update_id === full.update_id);
      if (index >= 0) this.queue.splice(index, 1);
    }
    return response.status;
  }

  // ----- inspection

  /** Accepted messages (sendMessage, sendDocument), in order; all chats or one. */
  messages(chatId?: number): SentMessage[] {
    return chatId === undefined ? [...this.sent] : this.sent.filter((m) => m.chatId === chatId);
  }

  documents(chatId?: number): Array<SentDocument & { chatId: number; messageId: number }> {
    return this.messages(chatId).flatMap((m) =>
      m.document ? [{ ...m.document, chatId: m.chatId, messageId: m.messageId }] : [],
    );
  }

  /** The commands set for a scope (default `{type:'default'}`) and language (default ''). */
  commands(scope: BotCommandScope = { type: 'default' }, languageCode = ''): BotCommand[] {
    return [...(this.commandSets.get(this.scopeKey(scope as unknown as Json, languageCode)) ?? [])];
  }

  /** The server's clock (epoch ms, monotonic), the one `at` and the rate windows use. */
  now(): number {
    return clock();
  }

  get stats(): TelegramApiStats {
    return { ...this.counters, byMethod: { ...this.counters.byMethod } };
  }

  /**
   * The first call (already made or still to come) `predicate` accepts; rejects after
   * `timeoutMs`. Calls are seen when answered.
   */
  waitFor(predicate: (call: ApiCall) => boolean, timeoutMs = 5000): Promise<ApiCall> {
    const made = this.calls.find(predicate);
    return made ? Promise.resolve(made) : this.nextCall(predicate, timeoutMs);
  }

  /** The next call `predicate` accepts, from now on. */
  nextCall(predicate: (call: ApiCall) => boolean, timeoutMs = 5000): Promise<ApiCall> {
    return new Promise((resolve, reject) => {
      const onCall = (call: ApiCall) => {
        if (!predicate(call)) return;
        clearTimeout(timer);
        this.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.off('call', onCall);
        const last = this.calls.slice(-5).map((c) => `${c.method} ${c.status}`);
        reject(new Error(`no such call within ${timeoutMs} ms (last: ${last.join(', ')})`));
      }, timeoutMs);
      this.on('call', onCall);
    });
  }

  /** Resolves once `condition()` holds, checked now and after every call. */
  until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
    if (condition()) return Promise.resolve();
    return this.nextCall(() => condition(), timeoutMs).then(() => undefined);
  }

  // ----- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
    const body = await readBody(req);
    if (this.latencyMs > 0) await sleepMs(this.latencyMs / 2);
    const at = clock();
    const download = /^\/file\/bot([^/]*)\/(.+)$/.exec(url.pathname);
    if (download) {
      const [, token = '', filePath = ''] = download;
      const file = [...this.files.values()].find((f) => `documents/${f.fileId}` === filePath);
      if (decodeURIComponent(token) !== this.token || !file?.content) {
        send(res, { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file.content);
      return;
    }
    if (!route) {
      send(res, { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
      return;
    }
    const [, token = '', rawMethod = ''] = route;
    const method = CANONICAL.get(rawMethod.toLowerCase());
    let params: Json = {};
    let reply: Reply;
    try {
      if (decodeURIComponent(token) !== this.token) throw new ApiError(401, 'Unauthorized');
      if (!method) throw new ApiError(404, 'Not Found: method not found');
      params = parseParams(req, url, body);
      reply = this.injectedFailure(method) ?? (await this.dispatch(method, params, at, res));
    } catch (error) {
      reply =
        error instanceof ApiError
          ? error.reply()
          : error instanceof SyntaxError
            ? badRequest("can't parse JSON").reply()
            : { status: 500, body: internalError(error) };
    }
    if (this.latencyMs > 0) await sleepMs(this.latencyMs / 2);
    if (reply.network) req.socket.destroy();
    else if (reply.status !== 0) send(res, reply);
    this.record({
      method: method ?? rawMethod,
      params,
      at,
      status: reply.network ? 0 : reply.status,
      response: reply.network ? undefined : reply.body,
    });
  }

  private record(call: ApiCall): void {
    this.calls.push(call);
    this.counters.calls++;
    this.counters.byMethod[call.method] = (this.counters.byMethod[call.method] ?? 0) + 1;
    if (call.status === 429) this.counters.tooManyRequests++;
    this.emit('call', call);
  }

  private injectedFailure(method: Method): Reply | undefined {
    const index = this.failures.findIndex((f) => f.method === method.toLowerCase());
    if (index < 0) return undefined;
    const failure = this.failures.splice(index, 1)[0]?.failure;
    if (failure === undefined) return undefined;
    if (failure === 'network') return { status: 0, body: undefined, network: true };
    return new ApiError(failure.status, failure.description, failure.parameters).reply();
  }

  private dispatch(
    method: Method,
    p: Json,
    at: number,
    res: ServerResponse,
  ): Reply | Promise<Reply> {
    switch (method) {
      case 'getMe':
        return ok(this.me);
      case 'getUpdates':
        return this.getUpdates(p, res);
      case 'setWebhook':
        return this.setWebhook(p);
      case 'deleteWebhook':
        return this.deleteWebhook(p);
      case 'getWebhookInfo':
        return ok(
          withoutUndefined({
            url: this.webhook?.url ?? '',
            has_custom_certificate: false,
            pending_update_count: this.queue.length,
            max_connections: this.webhook?.maxConnections,
            allowed_updates: this.webhook?.allowedUpdates,
          }),
        );
      case 'sendMessage':
        return this.sendMessage(p, at);
      case 'editMessageText':
        return this.editMessageText(p, at);
      case 'deleteMessage':
        return this.deleteMessage(p);
      case 'sendDocument':
        return this.sendDocument(p, at);
      case 'sendPhoto':
        return this.sendPhoto(p, at);
      case 'getFile': {
        const fileId = optionalString(p, 'file_id');
        const file = fileId === undefined ? undefined : this.files.get(fileId);
        if (!file) throw badRequest('invalid file_id');
        return ok(
          withoutUndefined({
            file_id: file.fileId,
            file_unique_id: `AgAD${file.fileId.slice(-6)}`,
            file_size: file.content?.length,
            file_path: `documents/${file.fileId}`,
          }),
        );
      }
      case 'answerCallbackQuery':
        return this.answerCallbackQuery(p, at);
      case 'getChatMember':
        return this.getChatMember(p);
      case 'getChatAdministrators':
        return this.getChatAdministrators(p);
      case 'getChat':
        return this.getChat(p);
      case 'setMyCommands':
        return this.setMyCommands(p);
      case 'getMyCommands':
        return ok(
          this.commands(
            this.scopeOf(p) as unknown as BotCommandScope,
            optionalString(p, 'language_code') ?? '',
          ),
        );
      case 'deleteMyCommands':
        this.commandSets.delete(
          this.scopeKey(this.scopeOf(p), optionalString(p, 'language_code') ?? ''),
        );
        return ok(true);
      case 'sendChatAction': {
        this.writableChat(p);
        const action = optionalString(p, 'action');
        if (!action || !CHAT_ACTIONS.has(action)) {
          throw badRequest('wrong parameter action in request');
        }
        return ok(true);
      }
    }
  }

  // ----- long polling and webhooks

  private getUpdates(p: Json, res: ServerResponse): Reply | Promise<Reply> {
    if (this.webhook) throw webhookConflict();
    const offset = optionalInt(p, 'offset');
    const limit = Math.min(100, Math.max(1, optionalInt(p, 'limit') ?? 100));
    const timeout = Math.max(0, optionalInt(p, 'timeout') ?? 0);
    const allowed = p.allowed_updates;
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.map(String);
    // A newer request ends the older one, as with two bot instances polling.
    this.endPoll(
      new ApiError(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      ).reply(),
    );
    if (offset !== undefined) this.confirm(offset);
    const ready = this.deliverable(offset, limit);
    if (ready.length > 0 || timeout === 0 || this.closed) return ok(ready);
    // The client gives up on a poll (grammY's bot.stop() aborts it and polls again at once):
    // its socket's end comes before the next request, the close only after it.
    const socket = res.socket;
    if (!socket || socket.readableEnded || socket.destroyed) return { status: 0, body: undefined };
    return new Promise<Reply>((resolve) => {
      const gone = () => {
        if (!res.writableFinished) poll.finish({ status: 0, body: undefined });
      };
      const poll: PendingPoll = {
        offset,
        limit,
        finish: (reply) => {
          clearTimeout(poll.timer);
          socket.off('end', gone);
          if (this.poll === poll) this.poll = undefined;
          resolve(reply);
        },
        timer: setTimeout(() => poll.finish(ok([])), timeout * 1000),
      };
      socket.once('end', gone);
      res.once('close', gone);
      this.poll = poll;
      this.emit('poll');
    });
  }

  /** Forgets updates below `offset`; a negative offset keeps only the last -offset ones. */
  private confirm(offset: number): void {
    if (offset < 0) {
      this.queue.splice(0, Math.max(0, this.queue.length + offset));
      return;
    }
    while (this.queue.length > 0 && (this.queue[0]?.update_id ?? 0) < offset) this.queue.shift();
  }

  private deliverable(offset: number | undefined, limit: number): Update[] {
    const wanted = (update: Update) => {
      const type = Object.keys(update).find((k) => k !== 'update_id') ?? '';
      return this.allowedUpdates.length > 0
        ? this.allowedUpdates.includes(type)
        : !OPT_IN_UPDATES.has(type);
    };
    // Updates of types the bot did not ask for are never delivered: drop them.
    for (let k = this.queue.length - 1; k >= 0; k--) {
      const update = this.queue[k];
      if (update && !wanted(update)) this.queue.splice(k, 1);
    }
    return this.queue
      .filter((u) => offset === undefined || offset < 0 || u.update_id >= offset)
      .slice(0, limit);
  }

  private wakePoll(): void {
    const poll = this.poll;
    if (!poll) return;
    const ready = this.deliverable(poll.offset, poll.limit);
    if (ready.length > 0) poll.finish(ok(ready));
  }

  private endPoll(reply: Reply): void {
    this.poll?.finish(reply);
  }

  private setWebhook(p: Json): Reply {
    const url = optionalString(p, 'url') ?? '';
    if (url === '') return this.deleteWebhook(p);
    if (!/^https?:\/\/[^/]+/i.test(url))
      throw badRequest('bad webhook: invalid webhook URL specified');
    const secretToken = optionalString(p, 'secret_token');
    if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
      throw badRequest('secret token contains unallowed characters');
    }
    const dropPendingUpdates = optionalBool(p, 'drop_pending_updates') ?? false;
    if (dropPendingUpdates) this.queue.length = 0;
    const allowed = p.allowed_updates;
    this.webhook = {
      url,
      secretToken,
      allowedUpdates: Array.isArray(allowed) ? allowed.map(String) : undefined,
      maxConnections: optionalInt(p, 'max_connections'),
      dropPendingUpdates,
    };
    this.endPoll(webhookConflict().reply());
    return ok(true, 'Webhook was set');
  }

  private deleteWebhook(p: Json): Reply {
    if (optionalBool(p, 'drop_pending_updates')) this.queue.length = 0;
    const had = this.webhook !== undefined;
    this.webhook = undefined;
    return ok(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
  }

  // ----- chats

  private chatState(chatId: number): ChatState {
    const chat = this.chats.get(chatId);
    if (!chat) throw new Error(`no chat ${chatId}: addChat it first`);
    return chat;
  }

  /** The chat `chat_id` names, or Telegram's 400 for it. */
  private resolveChat(p: Json, key = 'chat_id'): ChatState {
    const raw = p[key];
    if (raw === undefined || raw === null || raw === '') throw badRequest(`${key} is empty`);
    if (typeof raw === 'string' && raw.startsWith('@')) {
      const name = raw.slice(1).toLowerCase();
      for (const chat of this.chats.values()) {
        if (chat.info.type !== 'private' && chat.info.username?.toLowerCase() === name) return chat;
      }
      throw badRequest('chat not found');
    }
    const id = optionalInt(p, key) as number;
    const to = this.migrated.get(id);
    if (to !== undefined) {
      throw new ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
        migrate_to_chat_id: to,
      });
    }
    const chat = this.chats.get(id);
    if (!chat) throw badRequest('chat not found');
    return chat;
  }

  private botStatus(chat: ChatState): MemberStatus {
    const set = chat.members.get(this.botId);
    if (set) return set;
    if (chat.blocked) return chat.info.type === 'channel' ? 'left' : 'kicked';
    return chat.info.type === 'channel' ? 'administrator' : 'member';
  }

  /** Telegram's 403 when the bot was blocked by the user or is out of the group or channel. */
  private ensureInChat(chat: ChatState): MemberStatus {
    const status = this.botStatus(chat);
    if (chat.blocked || status === 'left' || status === 'kicked') {
      throw new ApiError(
        403,
        chat.info.type === 'private'
          ? 'Forbidden: bot was blocked by the user'
          : chat.info.type === 'channel'
            ? 'Forbidden: bot is not a member of the channel chat'
            : `Forbidden: bot was kicked from the ${chat.info.type} chat`,
      );
    }
    return status;
  }

  /** The chat, if the bot may write in it. */
  private writableChat(p: Json): ChatState {
    const chat = this.resolveChat(p);
    const status = this.ensureInChat(chat);
    if (chat.info.type === 'channel' && status !== 'administrator' && status !== 'creator') {
      throw badRequest('need administrator rights in the channel chat');
    }
    return chat;
  }

  /** The chat, if the bot may look at it: any private chat, a group or channel it is in. */
  private readableChat(p: Json): ChatState {
    const chat = this.resolveChat(p);
    if (chat.info.type !== 'private') this.ensureInChat(chat);
    return chat;
  }

  private chatObject(info: ChatSpec): Json {
    return info.type === 'private'
      ? withoutUndefined({
          id: info.id,
          first_name: info.first_name,
          last_name: info.last_name,
          username: info.username,
          type: info.type,
        })
      : withoutUndefined({
          id: info.id,
          title: info.title,
          username: info.username,
          type: info.type,
          is_forum: info.type === 'supergroup' && info.is_forum ? true : undefined,
        });
  }

  private userObject(userId: number): Json {
    if (userId === this.botId)
      return {
        id: this.me.id,
        is_bot: true,
        first_name: this.me.first_name,
        username: this.me.username,
      };
    const user = this.users.get(userId);
    if (!user) throw new Error(`no user ${userId}: addUser it first`);
    return { ...user };
  }

  private memberObject(chat: ChatState, userId: number, status: MemberStatus): Json {
    const user = this.userObject(userId);
    switch (status) {
      case 'creator':
        return { user, status, is_anonymous: false };
      case 'administrator': {
        const channel = chat.info.type === 'channel';
        return withoutUndefined({
          user,
          status,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: true,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: true,
          can_invite_users: true,
          can_post_stories: true,
          can_edit_stories: true,
          can_delete_stories: true,
          can_post_messages: channel ? true : undefined,
          can_edit_messages: channel ? true : undefined,
          can_pin_messages: channel ? undefined : true,
          can_manage_topics: chat.info.type === 'supergroup' ? false : undefined,
        });
      }
      case 'restricted':
        return {
          user,
          status,
          is_member: true,
          can_send_messages: false,
          can_send_audios: false,
          can_send_documents: false,
          can_send_photos: false,
          can_send_videos: false,
          can_send_video_notes: false,
          can_send_voice_notes: false,
          can_send_polls: false,
          can_send_other_messages: false,
          can_add_web_page_previews: false,
          can_change_info: false,
          can_invite_users: false,
          can_pin_messages: false,
          can_manage_topics: false,
          until_date: 0,
        };
      case 'kicked':
        return { user, status, until_date: 0 };
      default:
        return { user, status };
    }
  }

  private memberStatus(chat: ChatState, userId: number): MemberStatus {
    if (userId === this.botId) return this.botStatus(chat);
    const set = chat.members.get(userId);
    if (set) return set;
    if (chat.info.type === 'private') {
      if (userId === chat.info.id) return 'member';
      throw badRequest('user not found');
    }
    if (!this.users.has(userId)) throw badRequest('user not found');
    return 'left';
  }

  private getChatMember(p: Json): Reply {
    const chat = this.readableChat(p);
    const userId = optionalInt(p, 'user_id');
    if (userId === undefined) throw badRequest('user_id is empty');
    if (userId !== this.botId && !this.users.has(userId)) throw badRequest('user not found');
    return ok(this.memberObject(chat, userId, this.memberStatus(chat, userId)));
  }

  private getChatAdministrators(p: Json): Reply {
    const chat = this.readableChat(p);
    if (chat.info.type === 'private') {
      throw badRequest('there are no administrators in the private chat');
    }
    const ids = new Set([...chat.members.keys(), this.botId]);
    const admins = [...ids]
      .map((id) => [id, this.memberStatus(chat, id)] as const)
      .filter(([, status]) => status === 'creator' || status === 'administrator')
      .sort(([, a], [, b]) => Number(b === 'creator') - Number(a === 'creator'))
      .map(([id, status]) => this.memberObject(chat, id, status));
    return ok(admins);
  }

  private getChat(p: Json): Reply {
    const chat = this.readableChat(p);
    return ok({ ...this.chatObject(chat.info), accent_color_id: 0, max_reaction_count: 11 });
  }

  // ----- commands

  private scopeOf(p: Json): Json {
    const scope = p.scope;
    if (scope === undefined || scope === null) return { type: 'default' };
    if (typeof scope !== 'object' || Array.isArray(scope))
      throw badRequest("can't parse BotCommandScope");
    return scope as Json;
  }

  private scopeKey(scope: Json, languageCode: string): string {
    const type = String(scope.type ?? 'default');
    if (!SCOPES.has(type)) throw badRequest('unsupported bot command scope type');
    let chat = '';
    if (type === 'chat' || type === 'chat_administrators' || type === 'chat_member') {
      chat = String(this.resolveChat(scope).info.id);
    }
    const user = type === 'chat_member' ? String(optionalInt(scope, 'user_id') ?? '') : '';
    return `${type}|${chat}|${user}|${languageCode}`;
  }

  private setMyCommands(p: Json): Reply {
    const commands = p.commands;
    if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
    if (commands.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
    const clean: BotCommand[] = commands.map((c: unknown) => {
      const command = typeof c === 'object' && c !== null ? (c as Json) : {};
      const name = String(command.command ?? '');
      const description = String(command.description ?? '').trim();
      if (!/^[a-z0-9_]{1,32}$/.test(name)) throw badRequest('BOT_COMMAND_INVALID');
      if (description.length < 1 || description.length > 256) {
        throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      return { command: name, description };
    });
    const key = this.scopeKey(this.scopeOf(p), optionalString(p, 'language_code') ?? '');
    if (clean.length === 0) this.commandSets.delete(key);
    else this.commandSets.set(key, clean);
    return ok(true);
  }

  // ----- messages

  private store(chatId: number, message: Json, fromBot: boolean, sent: SentMessage | undefined) {
    this.stored.set(`${chatId}:${message.message_id}`, { message, fromBot, sent });
  }

  /** Text or caption with its parse_mode / entities, as Telegram takes it. */
  private formatted(
    raw: string,
    parseMode: string | undefined,
    explicit: unknown,
  ): { text: string; entities: MessageEntity[] } {
    // Telegram reads strings as UTF-8: a lone surrogate (half of an emoji cut off) is none.
    if (LONE_SURROGATE.test(raw)) throw badRequest('strings must be encoded in UTF-8');
    let text = raw;
    let entities: MessageEntity[] = [];
    if (parseMode !== undefined && parseMode !== '') {
      const mode = parseMode.toLowerCase();
      if (mode !== 'html') {
        if (mode === 'markdown' || mode === 'markdownv2') {
          throw badRequest(
            `can't parse entities: ${parseMode} is not parsed by this test server, use HTML`,
          );
        }
        throw badRequest('unsupported parse_mode');
      }
      try {
        ({ text, entities } = parseTelegramHtml(raw, {
          strictAmpersand: this.strictAmpersand,
          userOf: (id) =>
            this.users.has(id) ? this.userObject(id) : { id, is_bot: false, first_name: '' },
        }));
      } catch (error) {
        if (error instanceof EntityParseError)
          throw badRequest(`can't parse entities: ${error.message}`);
        throw error;
      }
    } else if (Array.isArray(explicit)) {
      entities = (explicit as MessageEntity[]).filter(
        (e) => e.length > 0 && e.offset >= 0 && e.offset + e.length <= raw.length,
      );
    }
    ({ text, entities } = trimFormatted(text, entities));
    return { text, entities: sortEntities([...entities, ...detectEntities(text, entities)]) };
  }

  /** Telegram's flood control: 429 when a window is full (the refused send does not count). */
  private admitSend(chat: ChatState | undefined, at: number): void {
    let waitMs = 0;
    for (const [key, limit] of this.windowsFor(chat)) {
      const span = limit.perMs - this.slackMs;
      const times = this.windows.get(key);
      if (!times) continue;
      while (times.length > 0 && (times[0] ?? 0) <= at - span) times.shift();
      if (times.length >= limit.count) {
        const blocker = times[times.length - limit.count] ?? at;
        waitMs = Math.max(waitMs, blocker + span - at, 1);
      }
    }
    if (waitMs > 0) throw tooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));
  }

  private noteSend(chat: ChatState | undefined, at: number): void {
    for (const [key] of this.windowsFor(chat)) {
      const times = this.windows.get(key);
      if (times) times.push(at);
      else this.windows.set(key, [at]);
    }
  }

  private windowsFor(chat: ChatState | undefined): Array<[string, RateLimit]> {
    const out: Array<[string, RateLimit]> = [];
    if (this.limits.global) out.push(['global', this.limits.global]);
    if (chat) {
      if (this.limits.perChat) out.push([`chat:${chat.info.id}`, this.limits.perChat]);
      const group = chat.info.type === 'group' || chat.info.type === 'supergroup';
      if (group && this.limits.perGroup) out.push([`group:${chat.info.id}`, this.limits.perGroup]);
    }
    return out;
  }

  /**
   * Where message_thread_id sends a message, as Telegram checks it: a topic of a forum
   * (400 "message thread not found" once it is deleted, "TOPIC_CLOSED" while closed), or,
   * in a group that is no forum, the reply thread of a message there.
   */
  private threadTarget(chat: ChatState, p: Json): number | undefined {
    const threadId = optionalInt(p, 'message_thread_id');
    if (threadId === undefined) return undefined;
    if (chat.info.is_forum) {
      const topic = chat.topics.get(threadId);
      if (!topic) throw badRequest('message thread not found');
      if (topic.closed) throw badRequest('TOPIC_CLOSED');
      return threadId;
    }
    if (!this.stored.has(`${chat.info.id}:${threadId}`)) {
      throw badRequest('message thread not found');
    }
    return threadId;
  }

  private replyTarget(chat: ChatState, p: Json): number | undefined {
    const parameters = p.reply_parameters;
    const params =
      typeof parameters === 'object' && parameters !== null ? (parameters as Json) : undefined;
    const id = params ? optionalInt(params, 'message_id') : optionalInt(p, 'reply_to_message_id');
    if (id === undefined) return undefined;
    const lenient =
      (params && optionalBool(params, 'allow_sending_without_reply')) ||
      optionalBool(p, 'allow_sending_without_reply');
    if (!this.stored.has(`${chat.info.id}:${id}`)) {
      if (lenient) return undefined;
      throw badRequest('message to be replied not found');
    }
    return id;
  }

  private checkReplyMarkup(markup: unknown): void {
    if (markup === undefined || markup === null) return;
    if (typeof markup !== 'object')
      throw badRequest("can't parse reply keyboard markup JSON object");
    const rows = (markup as Json).inline_keyboard;
    if (rows === undefined) return;
    if (!Array.isArray(rows)) throw badRequest('field "inline_keyboard" must be an Array');
    for (const row of rows) {
      if (!Array.isArray(row))
        throw badRequest('field "inline_keyboard" must be an Array of Arrays');
      for (const button of row as Json[]) {
        if (typeof button?.text !== 'string')
          throw badRequest('text buttons are unallowed in the inline keyboard');
        const data = button.callback_data;
        if (data !== undefined) {
          const size = Buffer.byteLength(String(data), 'utf8');
          if (size < 1 || size > 64) throw badRequest('BUTTON_DATA_INVALID');
        } else if (typeof button.url === 'string' && checkLink(button.url) === undefined) {
          throw badRequest(`inline keyboard button URL '${button.url}' is invalid: Wrong HTTP URL`);
        }
      }
    }
  }

  private messageObject(chat: ChatState, messageId: number, date: number, content: Json): Json {
    const channel = chat.info.type === 'channel';
    return withoutUndefined({
      message_id: messageId,
      from: channel ? undefined : this.userObject(this.botId),
      sender_chat: channel ? this.chatObject(chat.info) : undefined,
      chat: this.chatObject(chat.info),
      date,
      ...content,
    });
  }

  /** A message's text with its parse_mode or entities, checked as sendMessage checks it. */
  private messageText(p: Json) {
    const raw = optionalString(p, 'text') ?? '';
    const parseMode = optionalString(p, 'parse_mode');
    if (raw.trim() === '') throw badRequest('message text is empty');
    const { text, entities } = this.formatted(raw, parseMode, p.entities);
    if (text === '') throw badRequest('message text is empty');
    if (text.length > 4096) throw badRequest('message is too long');
    return { rawText: raw, parseMode, text, entities };
  }

  /** A rate-limit storm hits every message send, before anything else is looked at. */
  private stormOnly(): void {
    if (this.storm.times > 0) {
      this.storm.times--;
      throw tooManyRequests(this.storm.retryAfter);
    }
  }

  /** The checks every send makes, the rate limits, then the message is sent and recorded. */
  private accept(
    chat: ChatState,
    p: Json,
    at: number,
    sent: Pick<
      SentMessage,
      | 'method'
      | 'rawText'
      | 'parseMode'
      | 'text'
      | 'entities'
      | 'linkPreviewOptions'
      | 'disableWebPagePreview'
      | 'document'
      | 'photo'
    >,
    content: Json,
  ): Reply {
    const threadId = this.threadTarget(chat, p);
    const replyTo = this.replyTarget(chat, p);
    this.checkReplyMarkup(p.reply_markup);
    this.admitSend(chat, at);
    this.noteSend(chat, at);
    const messageId = chat.nextMessageId++;
    const date = unixNow();
    const message = this.messageObject(chat, messageId, date, {
      message_thread_id: threadId,
      is_topic_message: threadId !== undefined && chat.info.is_forum ? true : undefined,
      reply_to_message:
        replyTo === undefined ? undefined : this.stored.get(`${chat.info.id}:${replyTo}`)?.message,
      ...content,
      reply_markup: inlineMarkup(p.reply_markup),
    });
    const record: SentMessage = {
      chatId: chat.info.id,
      messageId,
      ...sent,
      replyMarkup: p.reply_markup,
      replyToMessageId: replyTo,
      threadId,
      date,
      at,
      edits: 0,
      deleted: false,
    };
    this.sent.push(record);
    this.store(chat.info.id, message, true, record);
    return ok(message);
  }

  private sendMessage(p: Json, at: number): Reply {
    this.stormOnly();
    const chat = this.writableChat(p);
    const formatted = this.messageText(p);
    const linkPreviewOptions = p.link_preview_options;
    const disableWebPagePreview = optionalBool(p, 'disable_web_page_preview');
    const previewDisabled =
      disableWebPagePreview === true ||
      (typeof linkPreviewOptions === 'object' &&
        linkPreviewOptions !== null &&
        (linkPreviewOptions as Json).is_disabled === true);
    return this.accept(
      chat,
      p,
      at,
      {
        method: 'sendMessage',
        ...formatted,
        linkPreviewOptions,
        disableWebPagePreview,
        document: undefined,
      },
      {
        text: formatted.text,
        entities: nonEmpty(formatted.entities),
        link_preview_options: previewDisabled ? { is_disabled: true } : undefined,
      },
    );
  }

  private sendDocument(p: Json, at: number): Reply {
    this.stormOnly();
    const chat = this.writableChat(p);
    const document = this.documentOf(p.document);
    const rawText = optionalString(p, 'caption') ?? '';
    const parseMode = optionalString(p, 'parse_mode');
    const { text, entities } =
      rawText === ''
        ? { text: '', entities: [] }
        : this.formatted(rawText, parseMode, p.caption_entities);
    if (text.length > 1024) throw badRequest('message caption is too long');
    const reply = this.accept(
      chat,
      p,
      at,
      {
        method: 'sendDocument',
        rawText,
        parseMode,
        text,
        entities,
        linkPreviewOptions: undefined,
        disableWebPagePreview: undefined,
        document,
      },
      {
        document: withoutUndefined({
          file_name: document.fileName,
          mime_type: document.mimeType,
          file_id: document.fileId,
          file_unique_id: `AgAD${document.fileId.slice(-6)}`,
          file_size: document.content?.length,
        }),
        caption: text === '' ? undefined : text,
        caption_entities: nonEmpty(entities),
      },
    );
    this.files.set(document.fileId, document);
    return reply;
  }

  /**
   * sendPhoto: a photo uploaded or given by URL, which the server fetches as Telegram does
   * (a URL it cannot get, or that is no image, or over 5 MB, is a 400 as Telegram answers),
   * with an optional caption of at most 1024 characters after entity parsing.
   */
  private async sendPhoto(p: Json, at: number): Promise<Reply> {
    this.stormOnly();
    const chat = this.writableChat(p);
    const rawText = optionalString(p, 'caption') ?? '';
    const parseMode = optionalString(p, 'parse_mode');
    const { text, entities } =
      rawText === ''
        ? { text: '', entities: [] }
        : this.formatted(rawText, parseMode, p.caption_entities);
    if (text.length > 1024) throw badRequest('message caption is too long');
    const photo = await this.photoOf(p.photo);
    const fileId = photo.fileId;
    return this.accept(
      chat,
      p,
      at,
      {
        method: 'sendPhoto',
        rawText,
        parseMode,
        text,
        entities,
        linkPreviewOptions: undefined,
        disableWebPagePreview: undefined,
        document: undefined,
        photo,
      },
      {
        photo: [
          { file_id: fileId, file_unique_id: `AQAD${fileId.slice(-6)}`, width: 800, height: 600 },
        ],
        caption: text === '' ? undefined : text,
        caption_entities: nonEmpty(entities),
      },
    );
  }

  private async photoOf(input: unknown): Promise<SentPhoto> {
    const fileId = `AgACAgIAAxkBAAI${String(this.nextFileId++).padStart(6, '0')}`;
    if (isUpload(input)) {
      if (input.data.length === 0) throw badRequest('file must be non-empty');
      if (input.data.length > PHOTO_UPLOAD_MAX_BYTES)
        throw new ApiError(413, 'Request Entity Too Large');
      return { fileId, url: undefined, content: input.data };
    }
    if (typeof input !== 'string' || !/^https?:\/\//i.test(input)) {
      throw badRequest('wrong remote file identifier specified: Wrong string length');
    }
    let response: Response;
    try {
      response = await fetch(input, { signal: AbortSignal.timeout(5000), redirect: 'follow' });
    } catch {
      throw badRequest('failed to get HTTP URL content');
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw badRequest('failed to get HTTP URL content');
    }
    if (!/^image\//i.test(response.headers.get('content-type') ?? '')) {
      await response.body.cancel();
      throw badRequest('wrong type of the web page content');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > PHOTO_URL_MAX_BYTES) throw badRequest('failed to get HTTP URL content');
      chunks.push(Buffer.from(chunk));
    }
    return { fileId, url: input, content: Buffer.concat(chunks) };
  }

  /** An uploaded file, a URL or the file_id of a file sent before. */
  private documentOf(input: unknown): SentDocument {
    const fileId = () => `BQACAgIAAxkBAAI${String(this.nextFileId++).padStart(6, '0')}`;
    if (isUpload(input)) {
      if (input.data.length === 0) throw badRequest('file must be non-empty');
      return {
        fileId: fileId(),
        fileName: input.fileName,
        mimeType: mimeFor(input.fileName, input.mimeType),
        content: input.data,
        url: undefined,
      };
    }
    if (typeof input === 'string' && /^https?:\/\//i.test(input)) {
      return {
        fileId: fileId(),
        fileName: decodeURIComponent(new URL(input).pathname.split('/').pop() || 'file'),
        mimeType: undefined,
        content: undefined,
        url: input,
      };
    }
    if (typeof input === 'string' && input !== '') {
      const known = this.files.get(input);
      if (!known) throw badRequest('wrong file identifier/HTTP URL specified');
      return { ...known };
    }
    throw badRequest('there is no document in the request');
  }

  private editMessageText(p: Json, at: number): Reply {
    this.stormOnly();
    if (p.inline_message_id !== undefined) throw badRequest('MESSAGE_ID_INVALID');
    const chat = this.writableChat(p);
    const messageId = optionalInt(p, 'message_id');
    if (messageId === undefined) throw badRequest('message identifier is not specified');
    const stored = this.stored.get(`${chat.info.id}:${messageId}`);
    if (!stored) throw badRequest('message to edit not found');
    if (!stored.fromBot) throw badRequest("message can't be edited");
    if (stored.message.text === undefined)
      throw badRequest('there is no text in the message to edit');
    const { rawText, parseMode, text, entities } = this.messageText(p);
    this.checkReplyMarkup(p.reply_markup);
    const markup = inlineMarkup(p.reply_markup);
    const previous = stored.message;
    if (
      previous.text === text &&
      JSON.stringify(previous.entities ?? []) === JSON.stringify(entities) &&
      JSON.stringify(previous.reply_markup) === JSON.stringify(markup)
    ) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    this.admitSend(chat, at);
    this.noteSend(chat, at);
    const message = withoutUndefined({
      ...previous,
      edit_date: unixNow(),
      text,
      entities: nonEmpty(entities),
      reply_markup: markup,
    });
    stored.message = message;
    if (stored.sent) {
      Object.assign(stored.sent, {
        rawText,
        parseMode,
        text,
        entities,
        replyMarkup: p.reply_markup,
        linkPreviewOptions: p.link_preview_options,
        edits: stored.sent.edits + 1,
      });
    }
    return ok(message);
  }

  private deleteMessage(p: Json): Reply {
    const chat = this.resolveChat(p);
    const messageId = optionalInt(p, 'message_id');
    if (messageId === undefined) throw badRequest('message identifier is not specified');
    const key = `${chat.info.id}:${messageId}`;
    const stored = this.stored.get(key);
    if (!stored) throw badRequest('message to delete not found');
    const status = this.botStatus(chat);
    const admin = status === 'administrator' || status === 'creator';
    if (!stored.fromBot && chat.info.type !== 'private' && !admin) {
      throw badRequest("message can't be deleted");
    }
    this.stored.delete(key);
    if (stored.sent) stored.sent.deleted = true;
    return ok(true);
  }

  private answerCallbackQuery(p: Json, at: number): Reply {
    const id = optionalString(p, 'callback_query_id');
    if (id === undefined || !this.openCallbacks.has(id)) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    this.openCallbacks.delete(id);
    this.callbackAnswers.push({
      callbackQueryId: id,
      text: optionalString(p, 'text'),
      showAlert: optionalBool(p, 'show_alert'),
      url: optionalString(p, 'url'),
      cacheTime: optionalInt(p, 'cache_time'),
      at,
    });
    return ok(true);
  }
}

function webhookConflict(): ApiError {
  return new ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  );
}

function tooManyRequests(retryAfter: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
    retry_after: retryAfter,
  });
}

function internalError(error: unknown): Json {
  return {
    ok: false,
    error_code: 500,
    description: `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`,
  };
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function send(res: ServerResponse, reply: Reply): void {
  const json = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

const asUpdate = (update: Json) => update as Partial<Update>;

const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

/** Telegram echoes an inline keyboard in the Message; other keyboards it does not. */
function inlineMarkup(markup: unknown): unknown {
  return typeof markup === 'object' && markup !== null && 'inline_keyboard' in markup
    ? markup
    : undefined;
}

function mimeFor(fileName: string | undefined, given: string | undefined): string | undefined {
  const extension = fileName?.split('.').pop()?.toLowerCase();
  const known: Record<string, string> = {
    txt: 'text/plain',
    md: 'text/markdown',
    html: 'text/html',
    json: 'application/json',
    csv: 'text/csv',
    pdf: 'application/pdf',
    zip: 'application/zip',
  };
  return (
    (extension && known[extension]) || (given === 'application/octet-stream' ? undefined : given)
  );
}

/** Starts a server on 127.0.0.1; `await api.close()` when done. */
export async function startTelegramApi(options: TelegramApiOptions = {}): Promise<TelegramApi> {
  const api = new TelegramApi(options);
  await api.listen(options.port ?? 0);
  return api;
}
