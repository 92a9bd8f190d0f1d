/**
 * A Discord of our own on 127.0.0.1: REST API v10 and a gateway WebSocket that the real
 * discord.js client connects to. Test infrastructure for the Discord adapter and the fan-out
 * benchmark, so plain Node APIs and `ws` only (no vitest in here).
 *
 *   const api = await startDiscordApi();
 *   api.addGuild({ id: GUILD, name: 'News', ownerId: OWNER, channels: [{ id: CHANNEL, name: 'briefs' }] });
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: `${api.root}/api` } });
 *   await client.login(api.token);
 *
 * What it imitates, and how closely:
 * - Gateway: HELLO, IDENTIFY (token checked, close 4004; privileged intents not enabled → 4014),
 *   READY + one GUILD_CREATE per guild, heartbeats (op 1 → op 11), RESUME with replay of missed
 *   dispatches then RESUMED, INVALID_SESSION for unknown sessions, sequence numbers. Plain JSON
 *   only (no zlib-stream; discord.js asks for it only when the optional zlib-sync is installed).
 * - REST: the routes the bot uses, with Discord's validation limits and error bodies, channel
 *   permissions computed from roles and overwrites, and rate limits enforced with sliding windows
 *   and advertised with Discord's headers.
 * - Interactions: realistic INTERACTION_CREATE payloads, callbacks within a window (default 3 s),
 *   one acknowledgement only, then edits and follow-ups through the interaction webhook.
 *
 * Ids given to it (guilds, channels, users) should be 17–19 digit snowflakes: @discordjs/rest only
 * recognises those as the "major parameter" that keys its per-channel rate-limit queues.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { deflateSync } from 'node:zlib';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

// ---------------------------------------------------------------------------------------------
// Public types

/** At most `count` accepted requests per `perMs` milliseconds (a sliding window). */
export interface Limit {
  count: number;
  perMs: number;
}

export interface DiscordApiOptions {
  /** The bot token it accepts (`Authorization: Bot <token>`, IDENTIFY). Random by default. */
  token?: string;
  applicationId?: string;
  botUserId?: string;
  botUsername?: string;
  /** HELLO's heartbeat_interval. Default 41250. */
  heartbeatIntervalMs?: number;
  /** Per bot, all authenticated REST routes except interaction callbacks and webhooks. Default 50/1000 ms. */
  globalLimit?: Limit | false;
  /** `POST /channels/{id}/messages`, per channel. Default 5/5000 ms. */
  messageLimit?: Limit | false;
  /** Every other route, per route and top-level resource (channel, guild, webhook+token). Default 50/1000 ms. */
  routeLimit?: Limit | false;
  /** A request is allowed when fewer than `count` accepted ones fall in the last `perMs - slackMs`. Default 25. */
  slackMs?: number;
  /** How long after INTERACTION_CREATE a callback is still accepted. Default 3000 (Discord's 3 s). */
  interactionTimeoutMs?: number;
  /** How long the interaction token works for edits and follow-ups. Default 15 minutes. */
  interactionTokenTtlMs?: number;
  /** Privileged intents enabled for this application (GuildMembers, GuildPresences, MessageContent bits). Default none. */
  privilegedIntents?: number;
  /** Added delay before each REST answer (after it is recorded), to imitate network latency. Default 0. */
  latencyMs?: number;
}

export interface ChannelInput {
  id: string;
  name: string;
  /** 0 text (default), 2 voice, 4 category, 5 announcement, 15 forum. */
  type?: number;
  parentId?: string;
  topic?: string;
  permissionOverwrites?: Overwrite[];
}

export interface Overwrite {
  id: string;
  /** 0 role, 1 member. */
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface RoleInput {
  id: string;
  name: string;
  permissions?: string;
  position?: number;
  mentionable?: boolean;
}

export interface MemberInput {
  id: string;
  username?: string;
  roles?: string[];
  bot?: boolean;
  nick?: string;
}

export interface GuildInput {
  id: string;
  name: string;
  ownerId: string;
  channels: ChannelInput[];
  roles?: RoleInput[];
  members?: MemberInput[];
  /** Permissions of @everyone (a bitfield string). Default: Discord's defaults for a new server. */
  everyonePermissions?: string;
  locale?: string;
}

/** A file a user attached to a slash command, served by this server. */
export interface AttachmentRef {
  id: string;
  filename: string;
  size: number;
  contentType: string;
  /** Signed like Discord's CDN URLs (`?ex=…&is=…&hm=…`): without its query it is a 404. */
  url: string;
}

export interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: RawOption[];
  focused?: boolean;
}

export type OptionValue = string | number | boolean | AttachmentRef;

export interface InteractInput {
  /** Default 'command'. */
  type?: 'command' | 'autocomplete';
  /** Default: the channel's guild. */
  guildId?: string;
  channelId: string;
  /** Default: the guild owner. */
  userId?: string;
  name: string;
  subcommand?: string;
  group?: string;
  /**
   * Option values by name (types taken from the registered command, else inferred), or raw
   * options as Discord sends them. An AttachmentRef becomes an attachment option, resolved.
   */
  options?: Record<string, OptionValue> | RawOption[];
  /** For autocomplete: the option being typed (default: the last one). */
  focused?: string;
  /** The invoking member's permissions (bitfield string). Default: computed from roles in the channel. */
  permissions?: string;
  /** Default 'en-US'. */
  locale?: string;
}

export interface InteractionAnswer {
  kind: 'callback' | 'edit' | 'followUp' | 'delete';
  /** For callbacks: 4 message, 5 deferred, 8 autocomplete result, 9 modal, … */
  type?: number;
  /** The body the bot sent (a callback's `data`, or the webhook message body). */
  data: Record<string, unknown>;
  messageId?: string;
  at: number;
}

export interface RefusedAnswer {
  kind: InteractionAnswer['kind'];
  status: number;
  code: number;
  at: number;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE `d` as dispatched. */
  readonly payload: Record<string, unknown>;
  /** Accepted answers, in order. */
  readonly answers: InteractionAnswer[];
  /** Answers this server refused (too late, already acknowledged, …). */
  readonly refused: RefusedAnswer[];
  /** The first accepted callback, or null when none came within the interaction window. */
  readonly callback: Promise<InteractionAnswer | null>;
  /** Resolves once at least `count` answers were accepted (rejects after `timeoutMs`, default 5000). */
  answered(count?: number, timeoutMs?: number): Promise<InteractionAnswer[]>;
}

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface RecordedMessage {
  id: string;
  channelId: string;
  guildId: string;
  content: string;
  /** The embeds as stored (empty when the bot lacks Embed Links). */
  embeds: Record<string, unknown>[];
  /** Embeds sent but dropped because the bot lacks Embed Links in the channel. */
  droppedEmbeds: Record<string, unknown>[];
  /** The `allowed_mentions` sent, or null when none. */
  allowedMentions: Record<string, unknown> | null;
  flags: number;
  /** Who would actually have been pinged, given content, allowed_mentions and permissions. */
  pinged: { everyone: boolean; users: string[]; roles: string[] };
  files: RecordedFile[];
  at: number;
  /** The request body as received. */
  body: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  /** Path under the API root, without `/api/v10`, with the query string. */
  path: string;
  /** The route template, e.g. `POST /channels/:channel/messages`. */
  route: string;
  body: unknown;
  /** Receive time (ms since epoch). */
  at: number;
  /** 0 when the connection was dropped. */
  status: number;
  code?: number;
}

export interface IdentifyRecord {
  intents: number;
  shard: unknown;
  properties: unknown;
  compress: boolean;
  at: number;
}

export interface DiscordApiStats {
  requests: number;
  tooManyRequests: number;
  byRoute: Record<string, { requests: number; tooManyRequests: number }>;
  gateway: { connections: number; identifies: number; resumes: number; heartbeats: number };
}

/** `'METHOD /path'` where `:x` or `*` segments match anything, method `*` any; or a RegExp on `METHOD /path`. */
export type RouteMatcher = string | RegExp;

/**
 * A status answers with that status. `'network'` resets the connection (ECONNRESET) before handling
 * the request; `'network-after'` handles it (a message is created) and then resets instead of
 * answering; `'hangup'` closes the connection cleanly (FIN) before handling.
 */
export type Failure = number | 'network' | 'network-after' | 'hangup';

/**
 * The running server. Events: 'request' (RecordedRequest), 'message' (RecordedMessage),
 * 'answer' (InteractionAnswer, interaction id), 'identify' (IdentifyRecord), 'resume' (session id).
 */
export interface DiscordApi extends EventEmitter {
  /** `http://127.0.0.1:PORT`; REST under `/api` and `/api/v10`. */
  readonly root: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly requests: readonly RecordedRequest[];
  readonly identified: readonly IdentifyRecord[];
  readonly stats: DiscordApiStats;
  /** Open gateway connections. */
  readonly connections: number;

  addGuild(guild: GuildInput): void;
  /** The bot is removed from the guild: GUILD_DELETE, and its channels answer 50001 Missing Access. */
  removeGuild(guildId: string): void;
  addChannel(guildId: string, channel: ChannelInput): void;
  /** CHANNEL_DELETE; sending to it then answers 404 Unknown Channel (10003). */
  removeChannel(channelId: string): void;
  /**
   * A public thread (type 11, or 12 private) in a text channel: THREAD_CREATE. It is a
   * channel of its own id; permissions are the parent's, sending takes Send Messages in Threads.
   */
  addThread(parentId: string, thread: { id: string; name: string; type?: 11 | 12 }): void;
  /**
   * The thread is archived (THREAD_UPDATE), as after its inactivity period: a message sent
   * to it unarchives it, as on Discord; a locked one answers 400 50083 instead.
   */
  archiveThread(threadId: string, options?: { locked?: boolean }): void;
  /** THREAD_DELETE; sending to it then answers 404 Unknown Channel (10003). */
  removeThread(threadId: string): void;
  /**
   * Takes a permission from the bot in a channel (a member overwrite, CHANNEL_UPDATE):
   * 'send' → 50013 Missing Permissions, 'access' → 50001 Missing Access,
   * 'embed' → messages are accepted but their embeds dropped.
   */
  denyChannel(channelId: string, what: 'send' | 'access' | 'embed'): void;
  /** Removes the bot's member overwrite in the channel again. */
  allowChannel(channelId: string): void;
  /** Sends a dispatch to every gateway session. */
  dispatch(event: string, data: unknown): void;
  /** Closes every gateway connection with `code` (default 4000: the client resumes). */
  closeGateway(code?: number): void;
  interact(input: InteractInput): InteractionHandle;
  addAttachment(
    filename: string,
    content: string | Uint8Array,
    contentType?: string,
  ): AttachmentRef;
  /** The next `times` rate-limited requests (matching `route`, if given) answer 429. */
  rateLimitNext(
    times: number,
    retryAfterSeconds: number,
    options?: { global?: boolean; route?: RouteMatcher },
  ): void;
  /** The next `times` requests matching `route` fail with `failure`. */
  failNext(route: RouteMatcher, failure: Failure, times?: number): void;
  messages(channelId?: string): RecordedMessage[];
  /** Registered commands: global without `guildId`, else that guild's. */
  commands(guildId?: string): Record<string, unknown>[];
  /** Resolves with the first truthy value of `check`, evaluated now and after every event. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Constants

const API_VERSION = 10;
const DISCORD_EPOCH = 1420070400000n;

/** Permission bits (https://discord.com/developers/docs/topics/permissions). */
export const Permission = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  Stream: 1n << 9n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  SendTTSMessages: 1n << 12n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  UseVAD: 1n << 25n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
  RequestToSpeak: 1n << 32n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  UseExternalStickers: 1n << 37n,
  SendMessagesInThreads: 1n << 38n,
  UseEmbeddedActivities: 1n << 39n,
  SendVoiceMessages: 1n << 46n,
  SendPolls: 1n << 49n,
  UseExternalApps: 1n << 50n,
} as const;

const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** What @everyone may do in a new Discord server. */
const DEFAULT_EVERYONE = [
  'CreateInstantInvite',
  'AddReactions',
  'Stream',
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
  'AttachFiles',
  'ReadMessageHistory',
  'MentionEveryone',
  'UseExternalEmojis',
  'Connect',
  'Speak',
  'UseVAD',
  'ChangeNickname',
  'UseApplicationCommands',
  'RequestToSpeak',
  'CreatePublicThreads',
  'CreatePrivateThreads',
  'UseExternalStickers',
  'SendMessagesInThreads',
  'UseEmbeddedActivities',
  'SendVoiceMessages',
  'SendPolls',
  'UseExternalApps',
].reduce((bits, name) => bits | Permission[name as keyof typeof Permission], 0n);

const DENY_BITS = {
  send: Permission.SendMessages,
  access: Permission.ViewChannel,
  embed: Permission.EmbedLinks,
} as const;

const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
const GUILDS_INTENT = 1 << 0;

/** Channel types messages can be sent to. */
const TEXT_CHANNEL_TYPES = new Set([0, 1, 2, 3, 5, 10, 11, 12, 13]);
const MESSAGE_FLAGS_ALLOWED = (1 << 2) | (1 << 6) | (1 << 12) | (1 << 15);
const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

// ---------------------------------------------------------------------------------------------
// Small helpers

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const strOf = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
/** Length as Discord counts it (code points). */
const len = (s: string): number => [...s].length;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** An error answer: status and Discord's `{message, code, errors?}`. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Obj,
  ) {
    super(message);
  }
  get body(): Obj {
    return {
      message: this.message,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

const unknownChannel = () => new ApiError(404, 10003, 'Unknown Channel');
const unknownGuild = () => new ApiError(404, 10004, 'Unknown Guild');
const missingAccess = () => new ApiError(403, 50001, 'Missing Access');
const missingPermissions = () => new ApiError(403, 50013, 'Missing Permissions');
const unknownInteraction = () => new ApiError(404, 10062, 'Unknown interaction');
const invalidWebhookToken = () => new ApiError(401, 50027, 'Invalid Webhook Token');

/** Collects Invalid Form Body errors in Discord's nested `{field: {_errors: [...]}}` shape. */
class FormErrors {
  readonly tree: Obj = {};
  empty = true;
  add(path: (string | number)[], code: string, message: string): void {
    this.empty = false;
    let node = this.tree;
    for (const key of path) {
      const next = node[String(key)];
      node[String(key)] = isObj(next) ? next : {};
      node = node[String(key)] as Obj;
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    list.push({ code, message });
    node._errors = list;
  }
  maxLength(path: (string | number)[], value: unknown, max: number): void {
    if (typeof value === 'string' && len(value) > max) {
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  }
  throwIfAny(): void {
    if (!this.empty) throw new ApiError(400, 50035, 'Invalid Form Body', this.tree);
  }
}

function matches(matcher: RouteMatcher, method: string, path: string): boolean {
  const bare = path.split('?')[0] ?? path;
  if (matcher instanceof RegExp) return matcher.test(`${method} ${bare}`);
  const [m = '*', p = ''] = matcher.includes(' ') ? matcher.split(' ', 2) : ['*', matcher];
  if (m !== '*' && m.toUpperCase() !== method) return false;
  const want = p.replace(/^\/api(\/v\d+)?/, '').split('/');
  const got = bare.split('/');
  return (
    want.length === got.length &&
    want.every((seg, i) => seg === '*' || seg.startsWith(':') || seg === got[i])
  );
}

// ---------------------------------------------------------------------------------------------
// Rate limiting

interface Verdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Until a slot frees when exhausted, else until the whole window clears. */
  resetAfterMs: number;
}

/** Sliding windows over receive time, one per key. */
class Windows {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly limit: Limit,
    private readonly slackMs: number,
  ) {}

  take(key: string, now: number): Verdict {
    const { count, perMs } = this.limit;
    const inWindow = (this.hits.get(key) ?? []).filter((t) => t > now - perMs);
    const recent = inWindow.filter((t) => t > now - (perMs - this.slackMs)).length;
    const allowed = recent < count;
    if (allowed) inWindow.push(now);
    this.hits.set(key, inWindow);
    return { allowed, limit: count, ...this.describe(inWindow, now) };
  }

  peek(key: string, now: number): Verdict {
    const inWindow = (this.hits.get(key) ?? []).filter((t) => t > now - this.limit.perMs);
    return { allowed: true, limit: this.limit.count, ...this.describe(inWindow, now) };
  }

  private describe(inWindow: number[], now: number) {
    const { count, perMs } = this.limit;
    const remaining = Math.max(0, count - inWindow.length);
    const freeing =
      inWindow.length >= count ? inWindow[inWindow.length - count] : inWindow[inWindow.length - 1];
    const resetAfterMs = freeing === undefined ? 0 : Math.max(0, freeing + perMs - now);
    return { remaining, resetAfterMs };
  }
}

interface Forced {
  left: number;
  retryAfterSeconds: number;
  global: boolean;
  route: RouteMatcher | undefined;
}

// ---------------------------------------------------------------------------------------------
// Model

interface Channel {
  id: string;
  guildId: string;
  name: string;
  type: number;
  position: number;
  parentId: string | null;
  topic: string | null;
  overwrites: Overwrite[];
  lastMessageId: string | null;
  /** A thread's state (types 10, 11, 12); absent for other channels. */
  thread?: { archived: boolean; locked: boolean; archivedAt: string };
}

interface Role {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  mentionable: boolean;
  managed: boolean;
}

interface Member {
  id: string;
  username: string;
  bot: boolean;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

interface Guild {
  id: string;
  name: string;
  ownerId: string;
  locale: string;
  joinedAt: string;
  present: boolean;
  channels: Map<string, Channel>;
  roles: Map<string, Role>;
  members: Map<string, Member>;
}

interface StoredAttachment {
  ref: AttachmentRef;
  content: Buffer;
  signature: string;
}

interface InteractionState {
  id: string;
  token: string;
  type: number;
  guildId: string;
  channelId: string;
  dispatchedAt: number;
  acknowledged: boolean;
  original: Obj | null;
  messages: Map<string, Obj>;
  answers: InteractionAnswer[];
  refused: RefusedAnswer[];
  resolveCallback: (answer: InteractionAnswer | null) => void;
  timer: NodeJS.Timeout;
}

interface Dispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface Connection {
  socket: WebSocket;
  session: Session | null;
  compress: boolean;
}

interface Session {
  id: string;
  intents: number;
  seq: number;
  buffer: Dispatch[];
  connection: Connection | null;
  invalid: boolean;
}

interface Upload {
  body: unknown;
  files: RecordedFile[];
}

interface Reply {
  status: number;
  body?: unknown;
  raw?: { data: Buffer; contentType: string };
}

type Scope = 'rest' | 'webhook' | 'callback' | 'open';

interface Context {
  params: Record<string, string>;
  body: unknown;
  files: RecordedFile[];
  query: URLSearchParams;
  at: number;
}

interface RouteDef {
  method: string;
  template: string;
  segments: string[];
  scope: Scope;
  messages: boolean;
  handle: (ctx: Context) => Reply | Promise<Reply>;
}

// ---------------------------------------------------------------------------------------------
// The server

class FakeDiscord extends EventEmitter implements DiscordApi {
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly requests: RecordedRequest[] = [];
  readonly identified: IdentifyRecord[] = [];
  readonly stats: DiscordApiStats = {
    requests: 0,
    tooManyRequests: 0,
    byRoute: {},
    gateway: { connections: 0, identifies: 0, resumes: 0, heartbeats: 0 },
  };
  root = '';
  gatewayUrl = '';

  private readonly options: Required<
    Omit<DiscordApiOptions, 'token' | 'applicationId' | 'botUserId'>
  >;
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly globalWindows: Windows | null;
  private readonly messageWindows: Windows | null;
  private readonly routeWindows: Windows | null;
  private readonly routes: RouteDef[] = [];
  private readonly guilds = new Map<string, Guild>();
  private readonly channelGuild = new Map<string, string>();
  private readonly recorded: RecordedMessage[] = [];
  private readonly nonces = new Map<string, { message: Obj; at: number }>();
  private readonly globalCommands = new Map<string, Obj>();
  private readonly guildCommands = new Map<string, Map<string, Obj>>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly attachments = new Map<string, StoredAttachment>();
  private readonly sessions = new Map<string, Session>();
  private readonly connectionSet = new Set<Connection>();
  private readonly forced: Forced[] = [];
  private readonly failures: { route: RouteMatcher; failure: Failure; left: number }[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly sockets = new Set<Socket>();
  private increment = 0n;
  private readonly signingKey = randomBytes(16);

  constructor(options: DiscordApiOptions) {
    super();
    this.token =
      options.token ??
      `${Buffer.from(String(Date.now())).toString('base64url')}.${randomBytes(20).toString('base64url')}`;
    this.applicationId = options.applicationId ?? this.snowflake();
    this.botUserId = options.botUserId ?? this.applicationId;
    this.options = {
      botUsername: options.botUsername ?? 'Briefwire',
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41250,
      globalLimit: options.globalLimit ?? { count: 50, perMs: 1000 },
      messageLimit: options.messageLimit ?? { count: 5, perMs: 5000 },
      routeLimit: options.routeLimit ?? { count: 50, perMs: 1000 },
      slackMs: options.slackMs ?? 25,
      interactionTimeoutMs: options.interactionTimeoutMs ?? 3000,
      interactionTokenTtlMs: options.interactionTokenTtlMs ?? 15 * 60_000,
      privilegedIntents: options.privilegedIntents ?? 0,
      latencyMs: options.latencyMs ?? 0,
    };
    const { globalLimit, messageLimit, routeLimit, slackMs } = this.options;
    this.globalWindows = globalLimit ? new Windows(globalLimit, slackMs) : null;
    this.messageWindows = messageLimit ? new Windows(messageLimit, slackMs) : null;
    this.routeWindows = routeLimit ? new Windows(routeLimit, slackMs) : null;
    this.defineRoutes();
    this.server = createServer((req, res) => {
      this.onRequest(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `500: ${String(error)}`, code: 0 }));
        }
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as Socket, head));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.root = `http://127.0.0.1:${port}`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
  }

  get connections(): number {
    return this.connectionSet.size;
  }

  // --- model ---------------------------------------------------------------------------------

  addGuild(input: GuildInput): void {
    const joinedAt = timestamp(Date.now());
    const guild: Guild = {
      id: input.id,
      name: input.name,
      ownerId: input.ownerId,
      locale: input.locale ?? 'en-US',
      joinedAt,
      present: true,
      channels: new Map(),
      roles: new Map(),
      members: new Map(),
    };
    guild.roles.set(input.id, {
      id: input.id,
      name: '@everyone',
      permissions:
        input.everyonePermissions === undefined
          ? DEFAULT_EVERYONE
          : BigInt(input.everyonePermissions),
      position: 0,
      mentionable: false,
      managed: false,
    });
    for (const [i, role] of (input.roles ?? []).entries()) {
      guild.roles.set(role.id, {
        id: role.id,
        name: role.name,
        permissions: BigInt(role.permissions ?? '0'),
        position: role.position ?? i + 1,
        mentionable: role.mentionable ?? false,
        managed: false,
      });
    }
    const member = (m: MemberInput): Member => ({
      id: m.id,
      username: m.username ?? `user${m.id.slice(-4)}`,
      bot: m.bot ?? false,
      roles: m.roles ?? [],
      nick: m.nick ?? null,
      joinedAt,
    });
    guild.members.set(
      this.botUserId,
      member({ id: this.botUserId, bot: true, username: this.options.botUsername }),
    );
    guild.members.set(input.ownerId, member({ id: input.ownerId }));
    for (const m of input.members ?? []) {
      guild.members.set(
        m.id,
        member(
          m.id === this.botUserId ? { ...m, bot: true, username: this.options.botUsername } : m,
        ),
      );
    }
    this.guilds.set(guild.id, guild);
    for (const channel of input.channels) this.putChannel(guild, channel);
    this.dispatchGuildEvent('GUILD_CREATE', this.guildCreateJson(guild), true);
    this.poke();
  }

  removeGuild(guildId: string): void {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`no guild ${guildId}`);
    guild.present = false;
    this.dispatchGuildEvent('GUILD_DELETE', { id: guildId }, true);
    this.poke();
  }

  addChannel(guildId: string, input: ChannelInput): void {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`no guild ${guildId}`);
    const channel = this.putChannel(guild, input);
    this.dispatchGuildEvent('CHANNEL_CREATE', this.channelJson(channel));
  }

  removeChannel(channelId: string): void {
    const { channel, guild } = this.lookupChannel(channelId);
    guild.channels.delete(channelId);
    this.channelGuild.delete(channelId);
    this.dispatchGuildEvent('CHANNEL_DELETE', this.channelJson(channel));
    this.poke();
  }

  addThread(parentId: string, input: { id: string; name: string; type?: 11 | 12 }): void {
    const { channel: parent, guild } = this.lookupChannel(parentId);
    if (parent.type !== 0 && parent.type !== 5 && parent.type !== 15) {
      throw new Error(`addThread: channel ${parentId} takes no threads`);
    }
    const thread = this.putChannel(guild, {
      id: input.id,
      name: input.name,
      type: input.type ?? 11,
      parentId,
    });
    thread.thread = { archived: false, locked: false, archivedAt: timestamp(Date.now()) };
    this.dispatchGuildEvent('THREAD_CREATE', { ...this.channelJson(thread), newly_created: true });
  }

  archiveThread(threadId: string, options: { locked?: boolean } = {}): void {
    const { channel } = this.lookupChannel(threadId);
    if (!channel.thread) throw new Error(`archiveThread: ${threadId} is no thread`);
    channel.thread = {
      archived: true,
      locked: options.locked ?? false,
      archivedAt: timestamp(Date.now()),
    };
    this.dispatchGuildEvent('THREAD_UPDATE', this.channelJson(channel));
  }

  removeThread(threadId: string): void {
    const { channel, guild } = this.lookupChannel(threadId);
    if (!channel.thread) throw new Error(`removeThread: ${threadId} is no thread`);
    guild.channels.delete(threadId);
    this.channelGuild.delete(threadId);
    this.dispatchGuildEvent('THREAD_DELETE', {
      id: channel.id,
      guild_id: guild.id,
      parent_id: channel.parentId,
      type: channel.type,
    });
    this.poke();
  }

  denyChannel(channelId: string, what: 'send' | 'access' | 'embed'): void {
    const { channel } = this.lookupChannel(channelId);
    const existing = channel.overwrites.find((o) => o.type === 1 && o.id === this.botUserId);
    if (existing) {
      existing.deny = String(BigInt(existing.deny) | DENY_BITS[what]);
    } else {
      channel.overwrites.push({
        id: this.botUserId,
        type: 1,
        allow: '0',
        deny: String(DENY_BITS[what]),
      });
    }
    this.dispatchGuildEvent('CHANNEL_UPDATE', this.channelJson(channel));
  }

  allowChannel(channelId: string): void {
    const { channel } = this.lookupChannel(channelId);
    channel.overwrites = channel.overwrites.filter(
      (o) => !(o.type === 1 && o.id === this.botUserId),
    );
    this.dispatchGuildEvent('CHANNEL_UPDATE', this.channelJson(channel));
  }

  private putChannel(guild: Guild, input: ChannelInput): Channel {
    const channel: Channel = {
      id: input.id,
      guildId: guild.id,
      name: input.name,
      type: input.type ?? 0,
      position: guild.channels.size,
      parentId: input.parentId ?? null,
      topic: input.topic ?? null,
      overwrites: (input.permissionOverwrites ?? []).map((o) => ({ ...o })),
      lastMessageId: null,
    };
    guild.channels.set(channel.id, channel);
    this.channelGuild.set(channel.id, guild.id);
    return channel;
  }

  private lookupChannel(channelId: string): { channel: Channel; guild: Guild } {
    const guild = this.guilds.get(this.channelGuild.get(channelId) ?? '');
    const channel = guild?.channels.get(channelId);
    if (!guild || !channel) throw new Error(`no channel ${channelId}`);
    return { channel, guild };
  }

  /** The channel as a request sees it: 404 when unknown or deleted, 50001 when the bot cannot see it. */
  private visibleChannel(channelId: string): { channel: Channel; guild: Guild; perms: bigint } {
    const guild = this.guilds.get(this.channelGuild.get(channelId) ?? '');
    const channel = guild?.channels.get(channelId);
    if (!guild || !channel) throw unknownChannel();
    if (!guild.present) throw missingAccess();
    const perms = this.permissionsIn(guild, this.botUserId, channel);
    if (!(perms & Permission.ViewChannel)) throw missingAccess();
    return { channel, guild, perms };
  }

  private basePermissions(guild: Guild, userId: string): bigint {
    if (userId === guild.ownerId) return ALL_PERMISSIONS;
    let perms = guild.roles.get(guild.id)?.permissions ?? 0n;
    for (const roleId of guild.members.get(userId)?.roles ?? []) {
      perms |= guild.roles.get(roleId)?.permissions ?? 0n;
    }
    return perms & Permission.Administrator ? ALL_PERMISSIONS : perms;
  }

  /**
   * Discord's algorithm: base permissions, then @everyone, role and member overwrites. A
   * thread has none of its own: its parent's apply.
   */
  private permissionsIn(guild: Guild, userId: string, channel: Channel): bigint {
    if (channel.thread && channel.parentId) {
      const parent = guild.channels.get(channel.parentId);
      if (parent) return this.permissionsIn(guild, userId, parent);
    }
    let perms = this.basePermissions(guild, userId);
    if (perms === ALL_PERMISSIONS) return perms;
    const roles = new Set(guild.members.get(userId)?.roles ?? []);
    const everyone = channel.overwrites.find((o) => o.type === 0 && o.id === guild.id);
    if (everyone) perms = (perms & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
    let allow = 0n;
    let deny = 0n;
    for (const o of channel.overwrites) {
      if (o.type === 0 && o.id !== guild.id && roles.has(o.id)) {
        allow |= BigInt(o.allow);
        deny |= BigInt(o.deny);
      }
    }
    perms = (perms & ~deny) | allow;
    const own = channel.overwrites.find((o) => o.type === 1 && o.id === userId);
    if (own) perms = (perms & ~BigInt(own.deny)) | BigInt(own.allow);
    if (!(perms & Permission.ViewChannel)) return 0n;
    if (!(perms & Permission.SendMessages)) {
      perms &= ~(
        Permission.MentionEveryone |
        Permission.EmbedLinks |
        Permission.AttachFiles |
        Permission.SendTTSMessages
      );
    }
    return perms;
  }

  // --- JSON shapes -------------------------------------------------------------------------

  private userJson(id: string, username: string, bot: boolean): Obj {
    return {
      id,
      username,
      discriminator: bot ? '0000' : '0',
      global_name: bot ? null : username,
      avatar: null,
      ...(bot ? { bot: true } : {}),
      public_flags: 0,
      flags: 0,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      collectibles: null,
      primary_guild: null,
      clan: null,
    };
  }

  private botUserJson(): Obj {
    return {
      ...this.userJson(this.botUserId, this.options.botUsername, true),
      verified: true,
      mfa_enabled: false,
      email: null,
      locale: 'en-US',
    };
  }

  private memberJson(member: Member, withUser = true): Obj {
    return {
      ...(withUser ? { user: this.userJson(member.id, member.username, member.bot) } : {}),
      roles: member.roles,
      nick: member.nick,
      avatar: null,
      banner: null,
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
      unusual_dm_activity_until: null,
    };
  }

  private roleJson(role: Role): Obj {
    return {
      id: role.id,
      name: role.name,
      description: null,
      permissions: String(role.permissions),
      position: role.position,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      managed: role.managed,
      mentionable: role.mentionable,
      icon: null,
      unicode_emoji: null,
      flags: 0,
    };
  }

  private channelJson(channel: Channel): Obj {
    if (channel.thread) {
      // A thread as Discord gives it: no position or overwrites, its metadata instead.
      return {
        id: channel.id,
        type: channel.type,
        guild_id: channel.guildId,
        name: channel.name,
        parent_id: channel.parentId,
        owner_id: this.botUserId,
        last_message_id: channel.lastMessageId,
        rate_limit_per_user: 0,
        message_count: 0,
        member_count: 1,
        flags: 0,
        thread_metadata: {
          archived: channel.thread.archived,
          locked: channel.thread.locked,
          auto_archive_duration: 1440,
          archive_timestamp: channel.thread.archivedAt,
        },
      };
    }
    return {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      position: channel.position,
      parent_id: channel.parentId,
      permission_overwrites: channel.overwrites.map((o) => ({ ...o })),
      flags: 0,
      ...(channel.type === 4
        ? {}
        : {
            topic: channel.topic,
            nsfw: false,
            last_message_id: channel.lastMessageId,
            rate_limit_per_user: 0,
          }),
      ...(channel.type === 2 ? { bitrate: 64000, user_limit: 0, rtc_region: null } : {}),
    };
  }

  private guildJson(guild: Guild): Obj {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      application_id: null,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      nsfw: false,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      preferred_locale: guild.locale,
      max_members: 500000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      features: [],
      roles: [...guild.roles.values()].map((r) => this.roleJson(r)),
      emojis: [],
      stickers: [],
      incidents_data: null,
      hub_type: null,
      latest_onboarding_question_id: null,
    };
  }

  private guildCreateJson(guild: Guild): Obj {
    return {
      ...this.guildJson(guild),
      unavailable: false,
      joined_at: guild.joinedAt,
      large: false,
      lazy: true,
      member_count: guild.members.size,
      channels: [...guild.channels.values()]
        .filter((c) => !c.thread)
        .map((c) => {
          const { guild_id: _, ...rest } = this.channelJson(c);
          return rest;
        }),
      // The active threads; archived ones are fetched on demand, as on Discord.
      threads: [...guild.channels.values()]
        .filter((c) => c.thread && !c.thread.archived)
        .map((c) => this.channelJson(c)),
      members: [...guild.members.values()].map((m) => this.memberJson(m)),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      activity_instances: [],
    };
  }

  private applicationJson(): Obj {
    return {
      id: this.applicationId,
      name: this.options.botUsername,
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot: this.botUserJson(),
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: createHash('sha256').update(this.applicationId).digest('hex'),
      flags: this.applicationFlags(),
      hook: true,
      is_monetized: false,
      is_verified: false,
      is_discoverable: false,
      owner: this.userJson('100000000000000000', 'owner', false),
      team: null,
      integration_types_config: { '0': {} },
      approximate_guild_count: [...this.guilds.values()].filter((g) => g.present).length,
      interactions_endpoint_url: null,
      redirect_uris: [],
      tags: [],
    };
  }

  private applicationFlags(): number {
    const p = this.options.privilegedIntents;
    return (
      (p & (1 << 8) ? 1 << 13 : 0) | (p & (1 << 1) ? 1 << 15 : 0) | (p & (1 << 15) ? 1 << 19 : 0)
    );
  }

  private snowflake(at = Date.now()): string {
    this.increment = (this.increment + 1n) & 0xfffn;
    return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.increment).toString();
  }

  // --- gateway -----------------------------------------------------------------------------

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.root);
    if (url.pathname !== '/gateway') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = { socket: ws, session: null, compress: false };
      this.connectionSet.add(connection);
      this.stats.gateway.connections++;
      ws.on('close', (code) => this.onGatewayClose(connection, code));
      ws.on('error', () => {});
      if (url.searchParams.get('v') !== String(API_VERSION)) {
        ws.close(4012, 'Invalid API version.');
        return;
      }
      if ((url.searchParams.get('encoding') ?? 'json') !== 'json') {
        ws.close(4002, 'Only encoding=json is supported here.');
        return;
      }
      if (url.searchParams.has('compress')) {
        ws.close(4002, 'Transport compression is not supported here.');
        return;
      }
      ws.on('message', (data, isBinary) => this.onGatewayMessage(connection, data, isBinary));
      this.send(connection, {
        op: 10,
        d: {
          heartbeat_interval: this.options.heartbeatIntervalMs,
          _trace: ['["fake-gateway",{}]'],
        },
        s: null,
        t: null,
      });
      this.poke();
    });
  }

  private onGatewayClose(connection: Connection, code: number): void {
    this.connectionSet.delete(connection);
    const session = connection.session;
    if (session && session.connection === connection) {
      session.connection = null;
      // Closing with 1000/1001 ends the session; other codes keep it resumable.
      if (code === 1000 || code === 1001) session.invalid = true;
    }
    this.poke();
  }

  private send(connection: Connection, payload: unknown): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    const json = JSON.stringify(payload);
    if (connection.compress) connection.socket.send(deflateSync(json), { binary: true });
    else connection.socket.send(json);
  }

  private onGatewayMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(String(data));
    } catch {
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!isObj(payload)) {
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = payload.d;
    switch (payload.op) {
      case 1:
        this.stats.gateway.heartbeats++;
        this.send(connection, { op: 11 });
        break;
      case 2:
        this.identify(connection, isObj(d) ? d : {});
        break;
      case 6:
        this.resume(connection, isObj(d) ? d : {});
        break;
      case 3:
      case 4:
      case 8:
        if (!connection.session) connection.socket.close(4003, 'Not authenticated.');
        break;
      default:
        connection.socket.close(4001, 'Unknown opcode.');
    }
    this.poke();
  }

  private identify(connection: Connection, d: Obj): void {
    if (connection.session) {
      connection.socket.close(4005, 'Already authenticated.');
      return;
    }
    if (d.token !== this.token && d.token !== `Bot ${this.token}`) {
      connection.socket.close(4004, 'Authentication failed.');
      return;
    }
    const intents = typeof d.intents === 'number' ? d.intents : 0;
    if (intents & PRIVILEGED_INTENTS & ~this.options.privilegedIntents) {
      connection.socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    this.stats.gateway.identifies++;
    const compress = d.compress === true;
    this.identified.push({
      intents,
      shard: d.shard,
      properties: d.properties,
      compress,
      at: Date.now(),
    });
    connection.compress = compress;
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      intents,
      seq: 0,
      buffer: [],
      connection,
      invalid: false,
    };
    this.sessions.set(session.id, session);
    connection.session = session;
    const present = [...this.guilds.values()].filter((g) => g.present);
    this.dispatchTo(session, 'READY', {
      v: API_VERSION,
      user: this.botUserJson(),
      user_settings: {},
      guilds: present.map((g) => ({ id: g.id, unavailable: true })),
      guild_join_requests: [],
      relationships: [],
      presences: [],
      private_channels: [],
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      shard: Array.isArray(d.shard) ? d.shard : [0, 1],
      application: { id: this.applicationId, flags: this.applicationFlags() },
      geo_ordered_rtc_regions: ['local'],
      auth: {},
      _trace: ['["fake-gateway",{}]'],
    });
    for (const guild of present)
      this.dispatchTo(session, 'GUILD_CREATE', this.guildCreateJson(guild));
    this.emit('identify', this.identified[this.identified.length - 1]);
  }

  private resume(connection: Connection, d: Obj): void {
    const session = this.sessions.get(strOf(d.session_id) ?? '');
    if (!session || session.invalid || d.token !== this.token) {
      this.send(connection, { op: 9, d: false, s: null, t: null });
      return;
    }
    this.stats.gateway.resumes++;
    if (session.connection && session.connection !== connection) {
      session.connection.session = null;
      session.connection.socket.close(4000, 'Resumed elsewhere.');
    }
    session.connection = connection;
    connection.session = session;
    const since = typeof d.seq === 'number' ? d.seq : 0;
    for (const payload of session.buffer) if (payload.s > since) this.send(connection, payload);
    this.dispatchTo(session, 'RESUMED', { _trace: ['["fake-gateway",{}]'] });
    this.emit('resume', session.id);
  }

  private dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq++;
    const payload: Dispatch = { op: 0, t, s: session.seq, d };
    session.buffer.push(payload);
    if (session.buffer.length > 1000) session.buffer.shift();
    if (session.connection) this.send(session.connection, payload);
  }

  private liveSessions(): Session[] {
    return [...this.sessions.values()].filter((s) => !s.invalid);
  }

  dispatch(event: string, data: unknown): void {
    for (const session of this.liveSessions()) this.dispatchTo(session, event, data);
    this.poke();
  }

  /** Guild and channel events go to sessions with the Guilds intent (GUILD_CREATE/DELETE always). */
  private dispatchGuildEvent(event: string, data: unknown, always = false): void {
    for (const session of this.liveSessions()) {
      if (always || session.intents & GUILDS_INTENT) this.dispatchTo(session, event, data);
    }
  }

  closeGateway(code = 4000): void {
    for (const connection of this.connectionSet)
      connection.socket.close(code, 'Closed by the test.');
  }

  // --- interactions --------------------------------------------------------------------------

  addAttachment(
    filename: string,
    content: string | Uint8Array,
    contentType?: string,
  ): AttachmentRef {
    return this.storeAttachment(
      '0',
      filename,
      Buffer.from(content),
      contentType ?? guessType(filename),
    ).ref;
  }

  private storeAttachment(
    channelId: string,
    filename: string,
    content: Buffer,
    contentType: string,
  ): StoredAttachment {
    const id = this.snowflake();
    const now = Math.floor(Date.now() / 1000);
    const ex = (now + 86400).toString(16);
    const is = now.toString(16);
    const signature = createHash('sha256')
      .update(this.signingKey)
      .update(`${id}:${ex}:${is}`)
      .digest('hex');
    const name = encodeURIComponent(filename);
    const url = `${this.root}/attachments/${channelId}/${id}/${name}?ex=${ex}&is=${is}&hm=${signature}&`;
    const stored: StoredAttachment = {
      ref: { id, filename, size: content.length, contentType, url },
      content,
      signature,
    };
    this.attachments.set(id, stored);
    return stored;
  }

  private attachmentJson(ref: AttachmentRef, ephemeral = false): Obj {
    return {
      id: ref.id,
      filename: ref.filename,
      size: ref.size,
      url: ref.url,
      proxy_url: ref.url,
      content_type: ref.contentType,
      ...(ephemeral ? { ephemeral: true } : {}),
    };
  }

  interact(input: InteractInput): InteractionHandle {
    const { channel, guild } = this.lookupChannel(input.channelId);
    if (input.guildId !== undefined && input.guildId !== guild.id) {
      throw new Error(`channel ${input.channelId} is not in guild ${input.guildId}`);
    }
    if (this.liveSessions().length === 0) throw new Error('no gateway session to dispatch to');
    const type = input.type === 'autocomplete' ? 4 : 2;
    const userId = input.userId ?? guild.ownerId;
    let member = guild.members.get(userId);
    if (!member) {
      member = {
        id: userId,
        username: `user${userId.slice(-4)}`,
        bot: false,
        roles: [],
        nick: null,
        joinedAt: timestamp(Date.now()),
      };
      guild.members.set(userId, member);
    }
    const command =
      this.guildCommands.get(guild.id)?.get(`1:${input.name}`) ??
      this.globalCommands.get(`1:${input.name}`);
    const resolved: Record<string, Obj> = {};
    const options = this.buildOptions(input, command, guild, resolved);
    if (type === 4 && !hasFocused(options)) focusLast(options);
    const memberPerms = input.permissions ?? String(this.permissionsIn(guild, userId, channel));
    const id = this.snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const payload: Obj = {
      id,
      application_id: this.applicationId,
      type,
      data: {
        id: strOf(command?.id) ?? this.snowflake(),
        name: input.name,
        type: 1,
        ...(options.length ? { options } : {}),
        ...(Object.keys(resolved).length ? { resolved } : {}),
        ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      },
      guild: { id: guild.id, locale: guild.locale, features: [] },
      guild_id: guild.id,
      channel: { ...partialChannel(this.channelJson(channel)), permissions: memberPerms },
      channel_id: channel.id,
      member: { ...this.memberJson(member), permissions: memberPerms },
      token,
      version: 1,
      app_permissions: String(this.permissionsIn(guild, this.botUserId, channel)),
      locale: input.locale ?? 'en-US',
      guild_locale: guild.locale,
      entitlements: [],
      entitlement_sku_ids: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
    };
    let resolveCallback: (answer: InteractionAnswer | null) => void = () => {};
    const callback = new Promise<InteractionAnswer | null>((resolve) => {
      resolveCallback = resolve;
    });
    const state: InteractionState = {
      id,
      token,
      type,
      guildId: guild.id,
      channelId: channel.id,
      dispatchedAt: performance.now(),
      acknowledged: false,
      original: null,
      messages: new Map(),
      answers: [],
      refused: [],
      resolveCallback,
      timer: setTimeout(() => resolveCallback(null), this.options.interactionTimeoutMs).unref(),
    };
    this.interactions.set(id, state);
    this.interactionsByToken.set(token, state);
    this.dispatch('INTERACTION_CREATE', payload);
    return {
      id,
      token,
      payload,
      answers: state.answers,
      refused: state.refused,
      callback,
      answered: (count = 1, timeoutMs = 5000) =>
        this.waitFor(() => state.answers.length >= count && state.answers, timeoutMs),
    };
  }

  private buildOptions(
    input: InteractInput,
    command: Obj | undefined,
    guild: Guild,
    resolved: Record<string, Obj>,
  ): RawOption[] {
    let schema = Array.isArray(command?.options) ? (command.options as Obj[]) : [];
    const wrap: { name: string; type: number }[] = [];
    for (const [name, kind] of [
      [input.group, 2],
      [input.subcommand, 1],
    ] as const) {
      if (name === undefined) continue;
      wrap.push({ name, type: kind });
      const sub = schema.find((o) => o.name === name);
      schema = Array.isArray(sub?.options) ? (sub.options as Obj[]) : [];
    }
    let leaves: RawOption[];
    if (Array.isArray(input.options)) {
      leaves = input.options.map((o) => ({ ...o }));
    } else {
      leaves = Object.entries(input.options ?? {}).map(([name, value]) => {
        const declared = schema.find((o) => o.name === name)?.type;
        if (typeof value === 'object') return { name, type: 11, value: value.id };
        const type =
          typeof declared === 'number'
            ? declared
            : typeof value === 'boolean'
              ? 5
              : typeof value === 'number'
                ? Number.isInteger(value)
                  ? 4
                  : 10
                : 3;
        return { name, type, value };
      });
    }
    if (input.focused !== undefined) {
      for (const leaf of leaves) if (leaf.name === input.focused) leaf.focused = true;
    }
    this.resolveOptions(leaves, guild, resolved);
    let options = leaves;
    for (const level of wrap.reverse()) options = [{ ...level, options }];
    return options;
  }

  private resolveOptions(options: RawOption[], guild: Guild, resolved: Record<string, Obj>): void {
    const add = (kind: string, id: string, value: Obj) => {
      const bag = resolved[kind] ?? {};
      bag[id] = value;
      resolved[kind] = bag;
    };
    for (const option of options) {
      const id = String(option.value ?? '');
      if (option.type === 11) {
        const stored = this.attachments.get(id);
        if (stored) add('attachments', id, this.attachmentJson(stored.ref, true));
      } else if (option.type === 6 || option.type === 9) {
        const member = guild.members.get(id);
        if (member) {
          add('users', id, this.userJson(member.id, member.username, member.bot));
          add('members', id, {
            ...this.memberJson(member, false),
            permissions: String(this.basePermissions(guild, id)),
          });
        } else if (guild.roles.has(id) && option.type === 9) {
          add('roles', id, this.roleJson(guild.roles.get(id) as Role));
        }
      } else if (option.type === 7) {
        const channel = guild.channels.get(id);
        if (channel) {
          add('channels', id, {
            id,
            name: channel.name,
            type: channel.type,
            parent_id: channel.parentId,
            permissions: String(this.permissionsIn(guild, this.botUserId, channel)),
            flags: 0,
          });
        }
      } else if (option.type === 8) {
        const role = guild.roles.get(id);
        if (role) add('roles', id, this.roleJson(role));
      }
      if (option.options) this.resolveOptions(option.options, guild, resolved);
    }
  }

  // --- rate limits and failure injection -----------------------------------------------------

  rateLimitNext(
    times: number,
    retryAfterSeconds: number,
    options: { global?: boolean; route?: RouteMatcher } = {},
  ): void {
    this.forced.push({
      left: times,
      retryAfterSeconds,
      global: options.global ?? false,
      route: options.route,
    });
  }

  failNext(route: RouteMatcher, failure: Failure, times = 1): void {
    this.failures.push({ route, failure, left: times });
  }

  private takeForced(method: string, path: string, scope: Scope): Forced | undefined {
    const forced = this.forced.find(
      (f) =>
        f.left > 0 &&
        (f.global ? scope === 'rest' : scope === 'rest' || scope === 'webhook') &&
        (f.route === undefined || matches(f.route, method, path)),
    );
    if (forced) forced.left--;
    return forced;
  }

  private takeFailure(method: string, path: string): Failure | undefined {
    const failure = this.failures.find((f) => f.left > 0 && matches(f.route, method, path));
    if (failure) failure.left--;
    return failure?.failure;
  }

  // --- HTTP ----------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const now = performance.now();
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.root);
    const raw = await readBody(req);

    if (url.pathname.startsWith('/attachments/')) {
      this.serveAttachment(url, res);
      return;
    }
    const prefix = /^\/api(?:\/v(\d+))?(?=\/)/.exec(url.pathname);
    const path = prefix ? url.pathname.slice(prefix[0].length) : url.pathname;
    const pathWithQuery = path + url.search;
    const { def, params, known } = this.route(method, path);
    const route = def ? `${method} ${def.template}` : `${method} ${path}`;
    const record: RecordedRequest = {
      method,
      path: pathWithQuery,
      route,
      body: undefined,
      at,
      status: 0,
    };
    const stats = this.stats.byRoute[route] ?? { requests: 0, tooManyRequests: 0 };
    this.stats.byRoute[route] = stats;
    this.stats.requests++;
    stats.requests++;

    const finish = async (reply: Reply, headers: Record<string, string>, drop = false) => {
      record.status = drop ? 0 : reply.status;
      if (isObj(reply.body) && typeof reply.body.code === 'number' && reply.status >= 400) {
        record.code = reply.body.code;
      }
      if (reply.status === 429) {
        this.stats.tooManyRequests++;
        stats.tooManyRequests++;
      }
      this.requests.push(record);
      this.emit('request', record);
      this.poke();
      if (this.options.latencyMs > 0) await delay(this.options.latencyMs);
      if (drop) {
        req.socket.resetAndDestroy();
        return;
      }
      if (reply.raw) {
        res.writeHead(reply.status, { ...headers, 'content-type': reply.raw.contentType });
        res.end(reply.raw.data);
      } else if (reply.body === undefined) {
        res.writeHead(reply.status, headers);
        res.end();
      } else {
        res.writeHead(reply.status, { ...headers, 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      }
    };

    let upload: Upload;
    try {
      upload = await parseBody(req.headers['content-type'] ?? '', raw);
      record.body = upload.body;
    } catch {
      await finish(
        { status: 400, body: { message: 'The request body contains invalid JSON.', code: 50109 } },
        {},
      );
      return;
    }

    const failure = this.takeFailure(method, path);
    if (failure === 'network' || failure === 'hangup') {
      this.requests.push(record);
      this.emit('request', record);
      this.poke();
      if (failure === 'network') req.socket.resetAndDestroy();
      else req.socket.destroy();
      return;
    }
    if (typeof failure === 'number') {
      await finish(
        { status: failure, body: { message: `${failure}: ${statusText(failure)}`, code: 0 } },
        {},
      );
      return;
    }

    if (!prefix || (prefix[1] !== undefined && prefix[1] !== String(API_VERSION))) {
      await finish({ status: 404, body: { message: '404: Not Found', code: 0 } }, {});
      return;
    }
    if (!def) {
      const status = known ? 405 : 404;
      await finish({ status, body: { message: `${status}: ${statusText(status)}`, code: 0 } }, {});
      return;
    }
    if (def.scope === 'rest' && req.headers.authorization !== `Bot ${this.token}`) {
      await finish({ status: 401, body: { message: '401: Unauthorized', code: 0 } }, {});
      return;
    }

    // Rate limits: global first (not for interaction callbacks and webhooks), then the route bucket.
    const headers: Record<string, string> = {};
    let windows: Windows | null = null;
    let key = '';
    if (def.scope === 'rest' || def.scope === 'webhook') {
      windows = def.messages ? this.messageWindows : this.routeWindows;
      const major =
        def.scope === 'webhook'
          ? `${params.app}/${params.token}`
          : (params.channel ?? params.guild ?? params.app ?? '');
      key = def.messages ? `messages:${major}` : `${method} ${def.template}:${major}`;
    }
    const bucketHeaders = (v: Verdict) => {
      headers['x-ratelimit-limit'] = String(v.limit);
      headers['x-ratelimit-remaining'] = String(v.remaining);
      headers['x-ratelimit-reset'] = ((Date.now() + v.resetAfterMs) / 1000).toFixed(3);
      headers['x-ratelimit-reset-after'] = (v.resetAfterMs / 1000).toFixed(3);
      headers['x-ratelimit-bucket'] = bucketHash(method, def.template);
    };
    const tooMany = async (retryAfterSeconds: number, global: boolean) => {
      headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
      headers['x-ratelimit-scope'] = global ? 'global' : 'user';
      if (global) headers['x-ratelimit-global'] = 'true';
      await finish(
        {
          status: 429,
          body: {
            message: 'You are being rate limited.',
            retry_after: round3(retryAfterSeconds),
            global,
          },
        },
        headers,
      );
    };
    if (def.scope === 'rest' || def.scope === 'webhook') {
      const forced = this.takeForced(method, path, def.scope);
      if (forced) {
        if (!forced.global && windows) {
          const seen = windows.peek(key, now);
          bucketHeaders({ ...seen, remaining: 0, resetAfterMs: forced.retryAfterSeconds * 1000 });
        }
        await tooMany(forced.retryAfterSeconds, forced.global);
        return;
      }
    }
    if (def.scope === 'rest' && this.globalWindows) {
      if (windows) bucketHeaders(windows.peek(key, now));
      const verdict = this.globalWindows.take('global', now);
      if (!verdict.allowed) {
        await tooMany(verdict.resetAfterMs / 1000, true);
        return;
      }
    }
    if (windows) {
      const verdict = windows.take(key, now);
      bucketHeaders(verdict);
      if (!verdict.allowed) {
        await tooMany(verdict.resetAfterMs / 1000, false);
        return;
      }
    }

    let reply: Reply;
    try {
      reply = await def.handle({
        params,
        body: upload.body,
        files: upload.files,
        query: url.searchParams,
        at,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      reply = { status: error.status, body: error.body };
    }
    await finish(reply, headers, failure === 'network-after');
  }

  private serveAttachment(url: URL, res: ServerResponse): void {
    const [, , , id = ''] = url.pathname.split('/');
    const stored = this.attachments.get(id);
    if (!stored || url.searchParams.get('hm') !== stored.signature) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('This content is no longer available.');
      return;
    }
    res.writeHead(200, {
      'content-type': stored.ref.contentType,
      'content-length': String(stored.content.length),
      'content-disposition': `attachment; filename="${stored.ref.filename}"`,
    });
    res.end(stored.content);
  }

  private route(
    method: string,
    path: string,
  ): { def?: RouteDef; params: Record<string, string>; known: boolean } {
    const segments = path.split('/');
    let known = false;
    for (const def of this.routes) {
      if (def.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const ok = def.segments.every((seg, i) => {
        const got = segments[i] ?? '';
        if (seg.startsWith(':')) {
          params[seg.slice(1)] = decodeURIComponent(got);
          return got !== '';
        }
        return seg === got;
      });
      if (!ok) continue;
      known = true;
      if (def.method === method) return { def, params, known };
    }
    return { params: {}, known };
  }

  private defineRoute(
    method: string,
    template: string,
    scope: Scope,
    handle: RouteDef['handle'],
    messages = false,
  ): void {
    this.routes.push({ method, template, segments: template.split('/'), scope, messages, handle });
  }

  private defineRoutes(): void {
    const json = (body: unknown, status = 200): Reply => ({ status, body });

    this.defineRoute('GET', '/gateway', 'open', () => json({ url: this.gatewayUrl }));
    this.defineRoute('GET', '/gateway/bot', 'rest', () =>
      json({
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      }),
    );
    this.defineRoute('GET', '/users/@me', 'rest', () => json(this.botUserJson()));
    this.defineRoute('GET', '/applications/@me', 'rest', () => json(this.applicationJson()));
    this.defineRoute('GET', '/oauth2/applications/@me', 'rest', () => json(this.applicationJson()));

    // Application commands, global and per guild.
    const commandsFor = (ctx: Context): Map<string, Obj> => {
      if (ctx.params.app !== this.applicationId) throw missingAccess();
      const guildId = ctx.params.guild;
      if (guildId === undefined) return this.globalCommands;
      const guild = this.guilds.get(guildId);
      if (!guild?.present) throw missingAccess();
      const existing = this.guildCommands.get(guildId);
      if (existing) return existing;
      const fresh = new Map<string, Obj>();
      this.guildCommands.set(guildId, fresh);
      return fresh;
    };
    for (const base of [
      '/applications/:app/commands',
      '/applications/:app/guilds/:guild/commands',
    ]) {
      this.defineRoute('GET', base, 'rest', (ctx) => json([...commandsFor(ctx).values()]));
      this.defineRoute('PUT', base, 'rest', (ctx) => {
        const store = commandsFor(ctx);
        if (!Array.isArray(ctx.body)) {
          const errors = new FormErrors();
          errors.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
          errors.throwIfAny();
        }
        const bodies = ctx.body as unknown[];
        validateCommands(bodies);
        const next = new Map<string, Obj>();
        for (const body of bodies as Obj[]) {
          const key = commandKey(body);
          next.set(key, this.commandJson(body, store.get(key), ctx.params.guild));
        }
        store.clear();
        for (const [key, value] of next) store.set(key, value);
        this.poke();
        return json([...store.values()]);
      });
      this.defineRoute('POST', base, 'rest', (ctx) => {
        const store = commandsFor(ctx);
        validateCommands([ctx.body]);
        const body = ctx.body as Obj;
        const key = commandKey(body);
        const existing = store.get(key);
        if (!existing && store.size >= 100)
          throw new ApiError(400, 30032, 'Maximum number of application commands reached (100)');
        const command = this.commandJson(body, existing, ctx.params.guild);
        store.set(key, command);
        this.poke();
        return json(command, existing ? 200 : 201);
      });
      this.defineRoute('DELETE', `${base}/:command`, 'rest', (ctx) => {
        const store = commandsFor(ctx);
        const entry = [...store.entries()].find(([, c]) => c.id === ctx.params.command);
        if (!entry) throw new ApiError(404, 10063, 'Unknown application command');
        store.delete(entry[0]);
        return { status: 204 };
      });
    }

    // Channels and guilds.
    this.defineRoute('GET', '/channels/:channel', 'rest', (ctx) =>
      json(this.channelJson(this.visibleChannel(ctx.params.channel ?? '').channel)),
    );
    this.defineRoute(
      'POST',
      '/channels/:channel/messages',
      'rest',
      (ctx) => json(this.createMessage(ctx.params.channel ?? '', ctx)),
      true,
    );
    const presentGuild = (id: string | undefined): Guild => {
      const guild = this.guilds.get(id ?? '');
      if (!guild) throw unknownGuild();
      if (!guild.present) throw missingAccess();
      return guild;
    };
    this.defineRoute('GET', '/guilds/:guild', 'rest', (ctx) =>
      json(this.guildJson(presentGuild(ctx.params.guild))),
    );
    this.defineRoute('GET', '/guilds/:guild/channels', 'rest', (ctx) =>
      json(
        [...presentGuild(ctx.params.guild).channels.values()]
          .filter((c) => !c.thread) // threads are listed by their own routes, as on Discord
          .map((c) => this.channelJson(c)),
      ),
    );
    this.defineRoute('GET', '/guilds/:guild/members/:user', 'rest', (ctx) => {
      const member = presentGuild(ctx.params.guild).members.get(ctx.params.user ?? '');
      if (!member) throw new ApiError(404, 10007, 'Unknown Member');
      return json(this.memberJson(member));
    });

    // Interactions: the callback, then the interaction webhook.
    this.defineRoute('POST', '/interactions/:id/:token/callback', 'callback', (ctx) =>
      this.interactionCallback(ctx),
    );
    this.defineRoute('POST', '/webhooks/:app/:token', 'webhook', (ctx) => this.followUp(ctx));
    this.defineRoute('GET', '/webhooks/:app/:token/messages/:message', 'webhook', (ctx) => {
      const { message } = this.webhookMessage(ctx);
      return json(message);
    });
    this.defineRoute('PATCH', '/webhooks/:app/:token/messages/:message', 'webhook', (ctx) =>
      this.editWebhookMessage(ctx),
    );
    this.defineRoute('DELETE', '/webhooks/:app/:token/messages/:message', 'webhook', (ctx) => {
      const { state, message } = this.webhookMessage(ctx);
      const messageId = String(message.id);
      if (state.original === message) state.original = null;
      state.messages.delete(messageId);
      this.answer(state, { kind: 'delete', data: {}, messageId, at: ctx.at });
      return { status: 204 };
    });
  }

  private commandJson(body: Obj, existing: Obj | undefined, guildId: string | undefined): Obj {
    const type = typeof body.type === 'number' ? body.type : 1;
    return {
      id: existing?.id ?? this.snowflake(),
      application_id: this.applicationId,
      version: this.snowflake(),
      type,
      name: body.name,
      name_localizations: body.name_localizations ?? null,
      description: body.description ?? '',
      description_localizations: body.description_localizations ?? null,
      ...(Array.isArray(body.options) && body.options.length ? { options: body.options } : {}),
      default_member_permissions: body.default_member_permissions ?? null,
      dm_permission: body.dm_permission ?? true,
      contexts: body.contexts ?? null,
      integration_types: body.integration_types ?? [0],
      nsfw: body.nsfw ?? false,
      ...(guildId ? { guild_id: guildId } : {}),
    };
  }

  // --- messages ------------------------------------------------------------------------------

  private createMessage(channelId: string, ctx: Context): Obj {
    const { channel, guild, perms } = this.visibleChannel(channelId);
    const body = isObj(ctx.body) ? ctx.body : {};
    validateMessage(body, ctx.files, { create: true });
    if (!TEXT_CHANNEL_TYPES.has(channel.type))
      throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
    if (channel.thread) {
      if (!(perms & Permission.SendMessagesInThreads)) throw missingPermissions();
      // An archived thread takes a message and is active again, unless it is locked
      // (only Manage Threads unlocks it, which this bot is not given).
      if (channel.thread.archived && channel.thread.locked) {
        throw new ApiError(400, 50083, 'Thread is archived');
      }
    } else if (!(perms & Permission.SendMessages)) throw missingPermissions();
    if (ctx.files.length && !(perms & Permission.AttachFiles)) throw missingPermissions();

    const nonce = body.nonce;
    const nonceKey = `${channelId}:${String(nonce)}`;
    if (body.enforce_nonce === true && nonce !== undefined) {
      const seen = this.nonces.get(nonceKey);
      if (seen && ctx.at - seen.at < 5 * 60_000) return seen.message;
    }

    const sentEmbeds = Array.isArray(body.embeds) ? (body.embeds as Obj[]) : [];
    const embedsAllowed = Boolean(perms & Permission.EmbedLinks);
    const embeds = embedsAllowed ? sentEmbeds.map(normaliseEmbed) : [];
    const content = strOf(body.content) ?? '';
    const allowedMentions = isObj(body.allowed_mentions) ? body.allowed_mentions : null;
    const pinged = this.pings(guild, content, allowedMentions, perms);
    const id = this.snowflake(ctx.at);
    const attachments = ctx.files.map(
      (f) =>
        this.storeAttachment(
          channelId,
          f.filename,
          f.content,
          f.contentType || guessType(f.filename),
        ).ref,
    );
    const flags =
      (typeof body.flags === 'number' ? body.flags : 0) & MESSAGE_FLAGS_ALLOWED & ~EPHEMERAL;
    const message: Obj = {
      type: isObj(body.message_reference) ? 19 : 0,
      id,
      channel_id: channelId,
      author: this.userJson(this.botUserId, this.options.botUsername, true),
      content,
      timestamp: timestamp(ctx.at),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: pinged.everyone,
      mentions: pinged.users.map((u) => {
        const m = guild.members.get(u);
        return this.userJson(u, m?.username ?? `user${u.slice(-4)}`, m?.bot ?? false);
      }),
      mention_roles: pinged.roles,
      mention_channels: [],
      attachments: attachments.map((a) => this.attachmentJson(a)),
      embeds,
      reactions: [],
      ...(nonce !== undefined ? { nonce } : {}),
      pinned: false,
      flags,
      components: Array.isArray(body.components) ? body.components : [],
      ...(isObj(body.message_reference)
        ? {
            message_reference: {
              ...body.message_reference,
              channel_id: channelId,
              guild_id: guild.id,
            },
          }
        : {}),
    };
    if (nonce !== undefined) this.nonces.set(nonceKey, { message, at: ctx.at });
    channel.lastMessageId = id;
    if (channel.thread?.archived) {
      channel.thread = { ...channel.thread, archived: false, archivedAt: timestamp(ctx.at) };
      this.dispatchGuildEvent('THREAD_UPDATE', this.channelJson(channel));
    }
    const recorded: RecordedMessage = {
      id,
      channelId,
      guildId: guild.id,
      content,
      embeds,
      droppedEmbeds: embedsAllowed ? [] : sentEmbeds,
      allowedMentions,
      flags,
      pinged,
      files: ctx.files,
      at: ctx.at,
      body,
    };
    this.recorded.push(recorded);
    this.emit('message', recorded);
    return message;
  }

  /** Who a message would ping: mentions in the content, filtered by allowed_mentions and permissions. */
  private pings(guild: Guild, content: string, allowed: Obj | null, perms: bigint) {
    const parse = allowed && Array.isArray(allowed.parse) ? (allowed.parse as unknown[]) : null;
    const listed = (key: string) =>
      allowed && Array.isArray(allowed[key]) ? (allowed[key] as unknown[]).map(String) : [];
    const may = (kind: string, id?: string) =>
      allowed === null ||
      (parse?.includes(kind) ?? false) ||
      (id !== undefined && listed(kind).includes(id));
    const everyone =
      /@(everyone|here)/.test(content) &&
      may('everyone') &&
      Boolean(perms & Permission.MentionEveryone);
    const users = [
      ...new Set([...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1] as string)),
    ].filter((id) => may('users', id));
    const roles = [
      ...new Set([...content.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1] as string)),
    ].filter(
      (id) =>
        may('roles', id) &&
        (guild.roles.get(id)?.mentionable === true || Boolean(perms & Permission.MentionEveryone)),
    );
    return { everyone, users, roles };
  }

  private webhookMessageJson(
    state: InteractionState,
    body: Obj,
    at: number,
    id = this.snowflake(at),
    type = 20,
  ): Obj {
    const embeds = Array.isArray(body.embeds) ? (body.embeds as Obj[]).map(normaliseEmbed) : [];
    return {
      type,
      id,
      channel_id: state.channelId,
      author: this.userJson(this.botUserId, this.options.botUsername, true),
      content: strOf(body.content) ?? '',
      timestamp: timestamp(at),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds,
      components: Array.isArray(body.components) ? body.components : [],
      pinned: false,
      flags: typeof body.flags === 'number' ? body.flags : 0,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      interaction_metadata: {
        id: state.id,
        type: state.type,
        user: this.userJson(this.botUserId, this.options.botUsername, true),
        authorizing_integration_owners: { '0': state.guildId },
      },
    };
  }

  // --- interaction endpoints -------------------------------------------------------------------

  private answer(state: InteractionState, answer: InteractionAnswer): void {
    state.answers.push(answer);
    this.emit('answer', answer, state.id);
    this.poke();
  }

  private refuse(
    state: InteractionState,
    kind: InteractionAnswer['kind'],
    error: ApiError,
    at: number,
  ): ApiError {
    state.refused.push({ kind, status: error.status, code: error.code, at });
    this.poke();
    return error;
  }

  private interactionCallback(ctx: Context): Reply {
    const state = this.interactions.get(ctx.params.id ?? '');
    if (!state || state.token !== ctx.params.token) throw unknownInteraction();
    if (performance.now() - state.dispatchedAt > this.options.interactionTimeoutMs) {
      throw this.refuse(state, 'callback', unknownInteraction(), ctx.at);
    }
    if (state.acknowledged) {
      throw this.refuse(
        state,
        'callback',
        new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
        ctx.at,
      );
    }
    const body = isObj(ctx.body) ? ctx.body : {};
    const type = body.type;
    const allowed = state.type === 4 ? [8] : [4, 5, 9];
    const errors = new FormErrors();
    if (typeof type !== 'number' || !allowed.includes(type)) {
      errors.add(
        ['type'],
        'INTERACTION_RESPONSE_TYPE_INVALID',
        'Interaction response type is invalid for this interaction.',
      );
    }
    errors.throwIfAny();
    const data = isObj(body.data) ? body.data : {};
    if (type === 4) validateMessage(data, ctx.files, { create: true });
    if (type === 8) validateChoices(data);
    state.acknowledged = true;
    clearTimeout(state.timer);
    if (type === 4 || type === 5) {
      const flags = (typeof data.flags === 'number' ? data.flags : 0) | (type === 5 ? LOADING : 0);
      state.original = this.webhookMessageJson(
        state,
        type === 4 ? { ...data, flags } : { flags },
        ctx.at,
      );
      state.messages.set(String(state.original.id), state.original);
    }
    const answer: InteractionAnswer = { kind: 'callback', type: type as number, data, at: ctx.at };
    this.answer(state, answer);
    state.resolveCallback(answer);
    if (ctx.query.get('with_response') !== 'true') return { status: 204 };
    const message = state.original;
    return {
      status: 200,
      body: {
        interaction: {
          id: state.id,
          type: state.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: type === 5,
                response_message_ephemeral: Boolean(Number(message.flags) & EPHEMERAL),
              }
            : {}),
        },
        resource: { type, ...(message && type === 4 ? { message } : {}) },
      },
    };
  }

  private webhookState(ctx: Context, kind: InteractionAnswer['kind']): InteractionState {
    if (ctx.params.app !== this.applicationId) throw new ApiError(404, 10015, 'Unknown Webhook');
    const state = this.interactionsByToken.get(ctx.params.token ?? '');
    if (!state) throw invalidWebhookToken();
    if (performance.now() - state.dispatchedAt > this.options.interactionTokenTtlMs) {
      throw this.refuse(state, kind, invalidWebhookToken(), ctx.at);
    }
    if (!state.acknowledged)
      throw this.refuse(state, kind, new ApiError(404, 10015, 'Unknown Webhook'), ctx.at);
    return state;
  }

  private webhookMessage(ctx: Context): { state: InteractionState; message: Obj } {
    const state = this.webhookState(ctx, 'edit');
    const id = ctx.params.message;
    const message = id === '@original' ? state.original : state.messages.get(id ?? '');
    if (!message)
      throw this.refuse(state, 'edit', new ApiError(404, 10008, 'Unknown Message'), ctx.at);
    return { state, message };
  }

  private followUp(ctx: Context): Reply {
    const state = this.webhookState(ctx, 'followUp');
    const body = isObj(ctx.body) ? ctx.body : {};
    validateMessage(body, ctx.files, { create: true });
    const message = this.webhookMessageJson(state, body, ctx.at);
    state.messages.set(String(message.id), message);
    this.answer(state, { kind: 'followUp', data: body, messageId: String(message.id), at: ctx.at });
    return ctx.query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
  }

  private editWebhookMessage(ctx: Context): Reply {
    const { state, message } = this.webhookMessage(ctx);
    const body = isObj(ctx.body) ? ctx.body : {};
    validateMessage(body, ctx.files, { create: false });
    if ('content' in body) message.content = strOf(body.content) ?? '';
    if ('embeds' in body)
      message.embeds = Array.isArray(body.embeds) ? (body.embeds as Obj[]).map(normaliseEmbed) : [];
    if ('components' in body)
      message.components = Array.isArray(body.components) ? body.components : [];
    message.flags = Number(message.flags) & ~LOADING;
    message.edited_timestamp = timestamp(ctx.at);
    if (
      !String(message.content) &&
      !(message.embeds as unknown[]).length &&
      !(message.components as unknown[]).length
    ) {
      throw this.refuse(
        state,
        'edit',
        new ApiError(400, 50006, 'Cannot send an empty message'),
        ctx.at,
      );
    }
    this.answer(state, { kind: 'edit', data: body, messageId: String(message.id), at: ctx.at });
    return { status: 200, body: message };
  }

  // --- inspection ----------------------------------------------------------------------------

  messages(channelId?: string): RecordedMessage[] {
    return channelId === undefined
      ? [...this.recorded]
      : this.recorded.filter((m) => m.channelId === channelId);
  }

  commands(guildId?: string): Obj[] {
    const store = guildId === undefined ? this.globalCommands : this.guildCommands.get(guildId);
    return [...(store?.values() ?? [])];
  }

  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = check();
      if (first) {
        resolve(first);
        return;
      }
      const waiter = () => {
        const value = check();
        if (value) {
          this.waiters.delete(waiter);
          clearTimeout(timer);
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`waitFor: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private poke(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  async close(): Promise<void> {
    for (const state of this.interactions.values()) clearTimeout(state.timer);
    for (const connection of this.connectionSet) connection.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation (Discord's limits: https://discord.com/developers/docs/resources/message)

function validateMessage(body: Obj, files: RecordedFile[], { create }: { create: boolean }): void {
  const errors = new FormErrors();
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') {
    errors.add(['content'], 'BASE_TYPE_STRING', 'Must be a string.');
  }
  errors.maxLength(['content'], body.content, 2000);
  if (body.nonce !== undefined && typeof body.nonce === 'string')
    errors.maxLength(['nonce'], body.nonce, 25);
  const embeds = body.embeds;
  if (embeds !== undefined && embeds !== null) {
    if (!Array.isArray(embeds)) {
      errors.add(['embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    } else if (embeds.length > 10) {
      errors.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
    } else {
      let total = 0;
      for (const [i, embed] of embeds.entries()) {
        if (!isObj(embed)) {
          errors.add(
            ['embeds', i],
            'MODEL_TYPE_CONVERT',
            'Only dictionaries may be used in a ModelType',
          );
          continue;
        }
        total += validateEmbed(embed, i, errors);
      }
      if (total > 6000) {
        errors.add(
          ['embeds'],
          'MAX_EMBED_SIZE_EXCEEDED',
          'Embed size exceeds maximum size of 6000',
        );
      }
    }
  }
  const mentions = body.allowed_mentions;
  if (isObj(mentions) && Array.isArray(mentions.parse)) {
    for (const kind of ['users', 'roles'] as const) {
      if (mentions.parse.includes(kind) && Array.isArray(mentions[kind]) && mentions[kind].length) {
        errors.add(
          ['allowed_mentions'],
          'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
          `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
        );
      }
    }
  }
  if (files.length > 10)
    errors.add(['files'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  errors.throwIfAny();
  if (files.reduce((sum, f) => sum + f.content.length, 0) > 10 * 1024 * 1024) {
    throw new ApiError(413, 40005, 'Request entity too large');
  }
  const hasContent = typeof body.content === 'string' && body.content.length > 0;
  const has = (key: string) => Array.isArray(body[key]) && (body[key] as unknown[]).length > 0;
  if (
    create &&
    !hasContent &&
    !has('embeds') &&
    !has('components') &&
    !has('sticker_ids') &&
    !files.length &&
    !isObj(body.poll)
  ) {
    throw new ApiError(400, 50006, 'Cannot send an empty message');
  }
}

/** Checks one embed and returns the characters it counts towards the 6000 total. */
function validateEmbed(embed: Obj, i: number, errors: FormErrors): number {
  const text = (x: unknown) => (typeof x === 'string' ? len(x) : 0);
  errors.maxLength(['embeds', i, 'title'], embed.title, 256);
  errors.maxLength(['embeds', i, 'description'], embed.description, 4096);
  let total = text(embed.title) + text(embed.description);
  if (isObj(embed.footer)) {
    errors.maxLength(['embeds', i, 'footer', 'text'], embed.footer.text, 2048);
    total += text(embed.footer.text);
  }
  if (embed.image !== undefined) {
    // Embed Image Structure: `url` "only supports http(s) and attachments".
    const url = isObj(embed.image) ? embed.image.url : undefined;
    if (typeof url !== 'string' || url === '') {
      errors.add(['embeds', i, 'image', 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
    } else if (!/^(?:https?|attachment):\/\//i.test(url)) {
      errors.add(
        ['embeds', i, 'image', 'url'],
        'URL_TYPE_INVALID_SCHEME',
        `Scheme "${url.split(':')[0]}" is not supported. Scheme must be one of ('http', 'https').`,
      );
    }
  }
  if (isObj(embed.author)) {
    errors.maxLength(['embeds', i, 'author', 'name'], embed.author.name, 256);
    total += text(embed.author.name);
  }
  if (embed.fields !== undefined) {
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > 25) {
      errors.add(['embeds', i, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    }
    for (const [j, field] of fields.entries()) {
      const f = isObj(field) ? field : {};
      for (const [key, max] of [
        ['name', 256],
        ['value', 1024],
      ] as const) {
        if (typeof f[key] !== 'string' || f[key] === '') {
          errors.add(
            ['embeds', i, 'fields', j, key],
            'BASE_TYPE_REQUIRED',
            'This field is required',
          );
        } else {
          errors.maxLength(['embeds', i, 'fields', j, key], f[key], max);
        }
      }
      total += text(f.name) + text(f.value);
    }
  }
  return total;
}

function normaliseEmbed(embed: Obj): Obj {
  return { type: 'rich', ...embed, content_scan_version: 0 };
}

function validateChoices(data: Obj): void {
  const errors = new FormErrors();
  const choices = Array.isArray(data.choices) ? data.choices : [];
  if (choices.length > 25)
    errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  for (const [i, choice] of choices.entries()) {
    const c = isObj(choice) ? choice : {};
    if (typeof c.name !== 'string' || len(c.name) < 1 || len(c.name) > 100) {
      errors.add(
        ['data', 'choices', i, 'name'],
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
    if (typeof c.value === 'string')
      errors.maxLength(['data', 'choices', i, 'value'], c.value, 100);
  }
  errors.throwIfAny();
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const commandKey = (body: Obj): string =>
  `${typeof body.type === 'number' ? body.type : 1}:${String(body.name)}`;

/** The checks Discord makes when commands are registered (names, lengths, counts, order). */
function validateCommands(bodies: unknown[]): void {
  const errors = new FormErrors();
  if (bodies.length > 100)
    errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const seen = new Set<string>();
  const name = (path: (string | number)[], value: unknown, chatInput: boolean) => {
    if (
      typeof value !== 'string' ||
      !COMMAND_NAME.test(value) ||
      (chatInput && value !== value.toLowerCase())
    ) {
      errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
  };
  const description = (path: (string | number)[], value: unknown) => {
    if (typeof value !== 'string' || len(value) < 1 || len(value) > 100) {
      errors.add(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
  };
  const options = (path: (string | number)[], list: unknown) => {
    if (list === undefined || list === null) return 0;
    if (!Array.isArray(list)) {
      errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
      return 0;
    }
    if (list.length > 25)
      errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    let size = 0;
    let optionalSeen = false;
    const names = new Set<string>();
    for (const [i, raw] of list.entries()) {
      const o = isObj(raw) ? raw : {};
      name([...path, i, 'name'], o.name, true);
      description([...path, i, 'description'], o.description);
      if (names.has(String(o.name))) {
        errors.add(
          [...path, i, 'name'],
          'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS',
          'Option name already exists',
        );
      }
      names.add(String(o.name));
      const nested = o.type === 1 || o.type === 2;
      if (!nested) {
        if (o.required === true && optionalSeen) {
          errors.add(
            path,
            'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
            'Required options must be placed before non-required options',
          );
        }
        if (o.required !== true) optionalSeen = true;
      }
      const choices = Array.isArray(o.choices) ? o.choices : [];
      if (choices.length > 25)
        errors.add(
          [...path, i, 'choices'],
          'BASE_TYPE_MAX_LENGTH',
          'Must be 25 or fewer in length.',
        );
      size += len(String(o.name ?? '')) + len(String(o.description ?? ''));
      for (const c of choices)
        size += isObj(c) ? len(String(c.name ?? '')) + len(String(c.value ?? '')) : 0;
      size += options([...path, i, 'options'], o.options);
    }
    return size;
  };
  for (const [i, raw] of bodies.entries()) {
    const body = isObj(raw) ? raw : {};
    const chatInput = body.type === undefined || body.type === 1;
    name([i, 'name'], body.name, chatInput);
    if (chatInput) description([i, 'description'], body.description);
    const key = commandKey(body);
    if (seen.has(key))
      errors.add(
        [i, 'name'],
        'APPLICATION_COMMANDS_DUPLICATE_NAME',
        'Application command names must be unique',
      );
    seen.add(key);
    const size =
      len(String(body.name ?? '')) +
      len(String(body.description ?? '')) +
      options([i, 'options'], body.options);
    if (size > 4000)
      errors.add([i], 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (4000)');
  }
  errors.throwIfAny();
}

// ---------------------------------------------------------------------------------------------
// Plumbing

/** A channel as interactions carry it: no permission overwrites, the member's permissions instead. */
function partialChannel(channel: Obj): Obj {
  const { permission_overwrites: _, ...partial } = channel;
  return partial;
}

function hasFocused(options: RawOption[]): boolean {
  return options.some((o) => o.focused === true || (o.options ? hasFocused(o.options) : false));
}

function focusLast(options: RawOption[]): void {
  const last = options[options.length - 1];
  if (!last) return;
  if (last.type === 1 || last.type === 2) focusLast(last.options ?? []);
  else last.focused = true;
}

function timestamp(at: number): string {
  return new Date(at).toISOString().replace('Z', '000+00:00');
}

function bucketHash(method: string, template: string): string {
  return createHash('md5').update(`${method} ${template}`).digest('hex');
}

function guessType(filename: string): string {
  const ext = filename.split('.').pop()?.toLowerCase() ?? '';
  const types: Record<string, string> = {
    opml: 'text/x-opml; charset=utf-8',
    xml: 'application/xml; charset=utf-8',
    txt: 'text/plain; charset=utf-8',
    json: 'application/json; charset=utf-8',
    csv: 'text/csv; charset=utf-8',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
  };
  return types[ext] ?? 'application/octet-stream';
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    404: 'Not Found',
    405: 'Method Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return texts[status] ?? 'Error';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON, or multipart with `payload_json` and `files[n]` as discord.js sends attachments. */
async function parseBody(contentType: string, raw: Buffer): Promise<Upload> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let body: unknown;
    const files: RecordedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({
          field,
          filename: value.name,
          contentType: value.type,
          content: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}

/** Starts the server on 127.0.0.1 and a random port. */
export async function startDiscordApi(options: DiscordApiOptions = {}): Promise<DiscordApi> {
  const api = new FakeDiscord(options);
  await api.listen();
  return api;
}
