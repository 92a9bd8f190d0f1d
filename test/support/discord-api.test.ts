import { once } from 'node:events';
import {
  type ChatInputCommandInteraction,
  Client,
  type ClientOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  PermissionFlagsBits,
  REST,
  Routes,
  type SendableChannels,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  type DiscordApi,
  type DiscordApiOptions,
  type GuildInput,
  startDiscordApi,
} from './discord-api.js';
import { rejection } from './errors.js';

const GUILD = '1100000000000000001';
const CHANNEL = '1100000000000000002';
const OWNER = '1100000000000000003';
const READER = '1100000000000000004';
const VOICE = '1100000000000000005';

const NEWS: GuildInput = {
  id: GUILD,
  name: 'Newsroom',
  ownerId: OWNER,
  channels: [
    { id: CHANNEL, name: 'briefs' },
    { id: VOICE, name: 'Lounge', type: 2 },
  ],
  members: [{ id: READER, username: 'reader' }],
};

let api: DiscordApi | undefined;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await api?.close();
  api = undefined;
});

/** A server with the Newsroom guild; heartbeats every 100 ms so tests see them. */
async function start(options: DiscordApiOptions = {}): Promise<DiscordApi> {
  api = await startDiscordApi({ heartbeatIntervalMs: 100, ...options });
  api.addGuild(NEWS);
  return api;
}

/** A real discord.js client, logged in to `server` and past `clientReady`. */
async function connect(
  server: DiscordApi,
  options: Partial<ClientOptions> = {},
): Promise<Client<true>> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: `${server.root}/api` },
    ...options,
  });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(server.token);
  await ready;
  return client as Client<true>;
}

function briefs(client: Client): SendableChannels {
  const channel = client.channels.cache.get(CHANNEL);
  if (!channel?.isSendable()) throw new Error('#briefs is not a sendable channel');
  return channel;
}

function restFor(server: DiscordApi): REST {
  return new REST({ api: `${server.root}/api` }).setToken(server.token);
}

/** Answers every chat-input command with `handler` (errors are kept, not thrown). */
function onCommand(
  client: Client,
  handler: (interaction: ChatInputCommandInteraction) => Promise<unknown>,
): { errors: unknown[] } {
  const errors: unknown[] = [];
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (interaction.isChatInputCommand())
      handler(interaction).catch((e: unknown) => errors.push(e));
  });
  return { errors };
}

const post = (server: DiscordApi, path: string, body: unknown, token = server.token) =>
  fetch(`${server.root}/api/v10${path}`, {
    method: 'POST',
    headers: { authorization: `Bot ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the gateway', () => {
  it('lets a discord.js client log in with Guilds only and see the guild and its text channel', async () => {
    const server = await start();
    const client = await connect(server);

    expect(server.identified).toMatchObject([{ intents: GatewayIntentBits.Guilds, shard: [0, 1] }]);
    expect(client.user.id).toBe(server.botUserId);
    expect(client.application.id).toBe(server.applicationId);
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.name).toBe('Newsroom');
    expect(guild?.ownerId).toBe(OWNER);
    const channel = briefs(client);
    expect(channel.isTextBased() && 'name' in channel && channel.name).toBe('briefs');
    // Permissions are computed from @everyone and the bot's member, as Discord does.
    const me = guild?.members.me;
    expect(me && guild?.channels.cache.get(CHANNEL)?.permissionsFor(me).has('SendMessages')).toBe(
      true,
    );
    // Heartbeats are acknowledged.
    await server.waitFor(() => server.stats.gateway.heartbeats >= 2);
    await server.waitFor(() => client.ws.ping >= 0);
  });

  it('refuses a wrong token at /gateway/bot and closes an IDENTIFY with it with 4004', async () => {
    const server = await start();
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: `${server.root}/api` },
    });
    clients.push(client);
    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });

    const ws = new WebSocket(`${server.gatewayUrl}?v=10&encoding=json`);
    const [hello] = (await once(ws, 'message')) as [Buffer];
    expect(JSON.parse(String(hello))).toMatchObject({ op: 10, d: { heartbeat_interval: 100 } });
    ws.send(JSON.stringify({ op: 2, d: { token: 'nope', intents: 1, properties: {} } }));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('closes with 4014 when a privileged intent is asked for but not enabled', async () => {
    const server = await start();
    const ws = new WebSocket(`${server.gatewayUrl}?v=10&encoding=json`);
    await once(ws, 'message');
    const intents = GatewayIntentBits.Guilds | GatewayIntentBits.MessageContent;
    ws.send(JSON.stringify({ op: 2, d: { token: server.token, intents, properties: {} } }));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4014);
  });

  it('resumes a dropped session and replays what was dispatched meanwhile', async () => {
    const server = await start();
    const client = await connect(server);
    const seen: string[] = [];
    onCommand(client, async (interaction) => {
      seen.push(interaction.commandName);
      await interaction.reply('ok');
    });
    const resumed = once(client, Events.ShardResume);
    server.closeGateway(4000);
    await server.waitFor(() => server.connections === 0);
    // Dispatched while no connection is open: kept for the session, replayed on RESUME.
    const handle = server.interact({ channelId: CHANNEL, name: 'status' });
    await resumed;
    await handle.callback;
    expect(seen).toEqual(['status']);
    expect(server.stats.gateway).toMatchObject({ identifies: 1, resumes: 1 });
  });

  it('tells clients about channel changes (CHANNEL_DELETE, CHANNEL_UPDATE)', async () => {
    const server = await start();
    const client = await connect(server);
    const updated = once(client, Events.ChannelUpdate);
    server.denyChannel(CHANNEL, 'send');
    await updated;
    const guild = client.guilds.cache.get(GUILD);
    const me = guild?.members.me;
    expect(me && guild?.channels.cache.get(CHANNEL)?.permissionsFor(me).has('SendMessages')).toBe(
      false,
    );
    const deleted = once(client, Events.ChannelDelete);
    server.removeChannel(CHANNEL);
    await deleted;
    expect(client.channels.cache.has(CHANNEL)).toBe(false);
  });
});

describe('sending messages', () => {
  it('records content, allowed_mentions and who would have been pinged', async () => {
    const server = await start();
    const client = await connect(server);
    const sent = await briefs(client).send({
      content: '@everyone hi',
      allowedMentions: { parse: [] },
    });
    await briefs(client).send('@everyone ping');

    const [quiet, loud] = server.messages(CHANNEL);
    expect(quiet).toMatchObject({
      id: sent.id,
      channelId: CHANNEL,
      guildId: GUILD,
      content: '@everyone hi',
      allowedMentions: { parse: [] },
      pinged: { everyone: false, users: [], roles: [] },
    });
    expect(sent.author.id).toBe(server.botUserId);
    expect(sent.createdTimestamp).toBeGreaterThan(0);
    expect(loud).toMatchObject({ allowedMentions: null, pinged: { everyone: true } });
  });

  it('takes allowedMentions from ClientOptions when a send gives none', async () => {
    const server = await start();
    const client = await connect(server, { allowedMentions: { parse: [] } });
    await briefs(client).send(`@everyone <@${READER}> read this`);
    expect(server.messages(CHANNEL)[0]).toMatchObject({
      allowedMentions: { parse: [] },
      pinged: { everyone: false, users: [] },
    });
  });

  it('refuses what Discord refuses: 50035 over the limits, 50006 for an empty message', async () => {
    // Refused requests count against the channel's bucket too, as on Discord: keep it out of the way.
    const server = await start({ messageLimit: false });
    const client = await connect(server);
    const channel = briefs(client);

    const title = await rejection(
      channel.send({ embeds: [{ title: 'x'.repeat(257) }] }),
      DiscordAPIError,
    );
    expect(title).toMatchObject({ code: 50035, status: 400 });
    expect(title.message).toContain(
      'embeds[0].title[BASE_TYPE_MAX_LENGTH]: Must be 256 or fewer in length.',
    );

    const total = await rejection(
      channel.send({
        embeds: [{ description: 'a'.repeat(3500) }, { description: 'b'.repeat(3500) }],
      }),
      DiscordAPIError,
    );
    expect(total.rawError).toMatchObject({
      code: 50035,
      errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } },
    });

    const fields = Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
    const many = await rejection(channel.send({ embeds: [{ fields }] }), DiscordAPIError);
    expect(many.message).toContain('embeds[0].fields[BASE_TYPE_MAX_LENGTH]');

    const long = await rejection(channel.send('é'.repeat(2001)), DiscordAPIError);
    expect(long.message).toContain(
      'content[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.',
    );
    // Discord counts characters, not bytes: 2000 two-byte letters are fine.
    await channel.send('é'.repeat(2000));

    const empty = await rejection(
      restFor(server).post(Routes.channelMessages(CHANNEL), { body: {} }),
      DiscordAPIError,
    );
    expect(empty).toMatchObject({
      code: 50006,
      status: 400,
      message: 'Cannot send an empty message',
    });

    expect(server.messages().map((m) => m.content.length)).toEqual([2000]);
  });

  it('answers 10003 for a deleted channel, 50013 and 50001 without permission, and drops embeds without Embed Links', async () => {
    const server = await start();
    const client = await connect(server);
    const channel = briefs(client);

    server.denyChannel(CHANNEL, 'embed');
    await channel.send({ content: 'with embed', embeds: [{ title: 'Top story' }] });
    expect(server.messages(CHANNEL)[0]).toMatchObject({
      content: 'with embed',
      embeds: [],
      droppedEmbeds: [{ title: 'Top story' }],
    });

    server.allowChannel(CHANNEL);
    server.denyChannel(CHANNEL, 'send');
    expect(await rejection(channel.send('hi'), DiscordAPIError)).toMatchObject({
      code: 50013,
      status: 403,
      message: 'Missing Permissions',
    });
    server.denyChannel(CHANNEL, 'access');
    expect(await rejection(channel.send('hi'), DiscordAPIError)).toMatchObject({
      code: 50001,
      message: 'Missing Access',
    });
    server.removeChannel(CHANNEL);
    expect(await rejection(channel.send('hi'), DiscordAPIError)).toMatchObject({
      code: 10003,
      status: 404,
      message: 'Unknown Channel',
    });
    expect(server.messages()).toHaveLength(1);
  });

  it('has threads: posts go into them, a post wakes an archived one, locked or deleted ones refuse', async () => {
    const THREAD = '1100000000000000009';
    const server = await start();
    const client = await connect(server);
    const created = once(client, Events.ThreadCreate);
    server.addThread(CHANNEL, { id: THREAD, name: 'Korea' });
    await created;
    const thread = client.channels.cache.get(THREAD);
    if (!thread?.isThread()) throw new Error('no thread in the cache');
    expect(thread.parentId).toBe(CHANNEL);
    await thread.send('into the thread');
    expect(server.messages(THREAD).map((m) => m.content)).toEqual(['into the thread']);
    expect(server.messages(CHANNEL)).toEqual([]);

    server.archiveThread(THREAD);
    await thread.send('wakes it');
    await server.waitFor(() => thread.archived === false);

    const locked = once(client, Events.ThreadUpdate);
    server.archiveThread(THREAD, { locked: true });
    await locked;
    expect(thread).toMatchObject({ archived: true, locked: true });
    expect(await rejection(thread.send('hi'), DiscordAPIError)).toMatchObject({ code: 50083 });

    const deleted = once(client, Events.ThreadDelete);
    server.removeThread(THREAD);
    await deleted;
    expect(await rejection(thread.send('hi'), DiscordAPIError)).toMatchObject({ code: 10003 });
    expect(server.messages(THREAD)).toHaveLength(2);
  });

  it('deduplicates a retried send that carries a nonce with enforce_nonce', async () => {
    const server = await start();
    const client = await connect(server);
    // The answer is lost after the message was created; @discordjs/rest retries on ECONNRESET.
    server.failNext('POST /channels/:id/messages', 'network-after', 1);
    await briefs(client).send({ content: 'once', nonce: 'brief-42', enforceNonce: true });
    server.failNext('POST /channels/:id/messages', 'network-after', 1);
    await briefs(client).send({ content: 'twice' });
    expect(server.messages().map((m) => m.content)).toEqual(['once', 'twice', 'twice']);
  });
});

describe('rate limits', () => {
  it('advertises the per-channel bucket so @discordjs/rest queues by itself: no 429', async () => {
    const server = await start({ messageLimit: { count: 5, perMs: 400 } });
    const rest = restFor(server);
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        rest.post(Routes.channelMessages(CHANNEL), { body: { content: `#${i}` } }),
      ),
    );
    const at = server.messages(CHANNEL).map((m) => m.at);
    expect(at).toHaveLength(6);
    expect(server.stats.tooManyRequests).toBe(0);
    expect((at[5] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(400 - 25);
  });

  it('enforces the per-channel bucket with Discord headers and a 429 body for a client that ignores them', async () => {
    const server = await start({ messageLimit: { count: 5, perMs: 5000 } });
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(await post(server, `/channels/${CHANNEL}/messages`, { content: `#${i}` }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    const first = answers[0]?.headers;
    expect(first?.get('x-ratelimit-limit')).toBe('5');
    expect(first?.get('x-ratelimit-remaining')).toBe('4');
    expect(Number(first?.get('x-ratelimit-reset-after'))).toBeCloseTo(5, 1);
    expect(first?.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
    const refused = answers[5];
    expect(refused?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused?.headers.get('x-ratelimit-scope')).toBe('user');
    expect(refused?.headers.get('x-ratelimit-global')).toBeNull();
    expect(Number(refused?.headers.get('retry-after'))).toBe(5);
    const body = (await refused?.json()) as { retry_after: number };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body.retry_after).toBeGreaterThan(4.9);
    expect(server.messages()).toHaveLength(5);
    expect(server.stats.byRoute['POST /channels/:channel/messages']).toEqual({
      requests: 6,
      tooManyRequests: 1,
    });
  });

  it('enforces the global limit across routes, marked global', async () => {
    const server = await start({ globalLimit: { count: 3, perMs: 1000 } });
    const get = () =>
      fetch(`${server.root}/api/v10/users/@me`, {
        headers: { authorization: `Bot ${server.token}` },
      });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get()).status);
    const refused = await post(server, `/channels/${CHANNEL}/messages`, { content: 'hi' });
    expect([...statuses, refused.status]).toEqual([200, 200, 200, 429]);
    expect(refused.headers.get('x-ratelimit-global')).toBe('true');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await refused.json()).toMatchObject({ global: true });
    expect(server.stats).toMatchObject({ requests: 4, tooManyRequests: 1 });
  });

  it('waits out a forced 429 and delivers the message once', async () => {
    const server = await start();
    const client = await connect(server);
    server.rateLimitNext(1, 0.2);
    const started = Date.now();
    await briefs(client).send('after the wait');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(server.messages().map((m) => m.content)).toEqual(['after the wait']);
    expect(
      server.requests
        .filter((r) => r.route === 'POST /channels/:channel/messages')
        .map((r) => r.status),
    ).toEqual([429, 200]);
  });

  it('lets @discordjs/rest retry a 5xx, and says 401 without the bot token', async () => {
    const server = await start();
    const client = await connect(server);
    server.failNext('POST /channels/:id/messages', 502, 2);
    await briefs(client).send('through');
    expect(server.messages()).toHaveLength(1);
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([
      502, 502, 200,
    ]);

    const anonymous = await post(
      server,
      `/channels/${CHANNEL}/messages`,
      { content: 'x' },
      'wrong',
    );
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    const unknown = await fetch(`${server.root}/api/v10/nowhere`);
    expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
  });
});

describe('interactions', () => {
  it('dispatches a slash command that reaches interactionCreate, and records the reply', async () => {
    const server = await start();
    const client = await connect(server);
    const seen: ChatInputCommandInteraction[] = [];
    onCommand(client, async (interaction) => {
      seen.push(interaction);
      await interaction.reply({ content: 'Subscribed.', flags: 64 });
    });
    const handle = server.interact({
      channelId: CHANNEL,
      userId: READER,
      name: 'subscribe',
      options: { feed: 'https://example.org/rss', count: 3 },
      permissions: String(PermissionFlagsBits.ManageGuild),
      locale: 'de',
    });

    expect(await handle.callback).toMatchObject({
      kind: 'callback',
      type: 4,
      data: { content: 'Subscribed.', flags: 64 },
    });
    const [interaction] = seen;
    expect(interaction?.commandName).toBe('subscribe');
    expect(interaction?.options.getString('feed')).toBe('https://example.org/rss');
    expect(interaction?.options.getInteger('count')).toBe(3);
    expect(interaction?.user.id).toBe(READER);
    expect(interaction?.guildId).toBe(GUILD);
    expect(interaction?.channelId).toBe(CHANNEL);
    expect(interaction?.locale).toBe('de');
    expect(interaction?.memberPermissions?.has('ManageGuild')).toBe(true);
    expect(interaction?.appPermissions.has('SendMessages')).toBe(true);
  });

  it('records a deferral, the edit of @original and a follow-up', async () => {
    const server = await start();
    const client = await connect(server);
    onCommand(client, async (interaction) => {
      await interaction.deferReply();
      await interaction.editReply('3 feeds');
      await interaction.followUp({ content: 'and one more thing', flags: 64 });
    });
    const handle = server.interact({ channelId: CHANNEL, name: 'feeds' });
    const answers = await handle.answered(3);
    expect(answers).toMatchObject([
      { kind: 'callback', type: 5 },
      { kind: 'edit', data: { content: '3 feeds' } },
      { kind: 'followUp', data: { content: 'and one more thing', flags: 64 } },
    ]);
    // Not channel messages: the bot's own sends are recorded apart.
    expect(server.messages()).toEqual([]);
  });

  it('refuses a callback after the interaction window with 10062', async () => {
    const server = await start({ interactionTimeoutMs: 100 });
    const client = await connect(server);
    const { errors } = onCommand(client, async (interaction) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await interaction.reply('too late');
    });
    const late = server.interact({ channelId: CHANNEL, name: 'slow' });
    expect(await late.callback).toBeNull();
    await server.waitFor(() => errors.length > 0);
    expect(errors[0]).toBeInstanceOf(DiscordAPIError);
    expect(errors[0]).toMatchObject({ code: 10062, status: 404, message: 'Unknown interaction' });
    expect(late.refused).toMatchObject([{ kind: 'callback', status: 404, code: 10062 }]);
  });

  it('refuses a second acknowledgement with 40060', async () => {
    // discord.js itself refuses a second reply (InteractionAlreadyReplied), so answer by hand.
    const server = await start();
    await connect(server);
    const twice = server.interact({ channelId: CHANNEL, name: 'twice' });
    const rest = restFor(server);
    const callback = Routes.interactionCallback(twice.id, twice.token);
    await rest.post(callback, { body: { type: 4, data: { content: 'one' } }, auth: false });
    const again = await rejection(
      rest.post(callback, { body: { type: 4, data: { content: 'two' } }, auth: false }),
      DiscordAPIError,
    );
    expect(again).toMatchObject({
      code: 40060,
      status: 400,
      message: 'Interaction has already been acknowledged.',
    });
    expect(twice.answers).toHaveLength(1);
  });

  it('marks the focused option of an autocomplete and records the choices', async () => {
    const server = await start();
    const client = await connect(server);
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const typed = interaction.options.getFocused(true);
      void interaction.respond([
        { name: `${typed.name}: ${typed.value}…`, value: `${typed.value}-feed` },
      ]);
    });
    const handle = server.interact({
      type: 'autocomplete',
      channelId: CHANNEL,
      name: 'unsubscribe',
      options: { feed: 'tech' },
    });
    expect(await handle.callback).toMatchObject({
      type: 8,
      data: { choices: [{ name: 'feed: tech…', value: 'tech-feed' }] },
    });
    expect(handle.payload).toMatchObject({
      type: 4,
      data: { options: [{ name: 'feed', focused: true }] },
    });
  });

  it('resolves an attachment option to a file this server serves', async () => {
    const server = await start();
    const client = await connect(server);
    const opml =
      '<opml version="2.0"><body><outline xmlUrl="https://example.org/rss"/></body></opml>';
    let downloaded = '';
    onCommand(client, async (interaction) => {
      const file = interaction.options.getAttachment('file', true);
      downloaded = await (await fetch(file.url)).text();
      await interaction.reply(`Imported ${file.name}`);
    });
    const file = server.addAttachment('feeds.opml', opml);
    const handle = server.interact({ channelId: CHANNEL, name: 'import', options: { file } });
    expect(await handle.callback).toMatchObject({ data: { content: 'Imported feeds.opml' } });
    expect(downloaded).toBe(opml);
    expect((await fetch(file.url.split('?')[0] ?? '')).status).toBe(404);
  });
});

describe('application commands', () => {
  it('records a bulk overwrite of guild commands, keeps ids across overwrites, and refuses bad names', async () => {
    const server = await start();
    const client = await connect(server);
    const definitions = [
      {
        name: 'subscribe',
        description: 'Follow a feed',
        options: [{ name: 'feed', description: 'URL', type: 3, required: true }],
      },
      { name: 'brief', description: 'Today in one message' },
    ];
    const first = await client.application.commands.set(definitions, GUILD);
    expect(server.commands(GUILD).map((c) => c.name)).toEqual(['subscribe', 'brief']);
    expect(server.commands()).toEqual([]);
    const again = await client.application.commands.set(definitions, GUILD);
    expect(again.map((c) => c.id)).toEqual(first.map((c) => c.id));
    expect(server.requests.filter((r) => r.method === 'PUT')[0]).toMatchObject({
      path: `/applications/${server.applicationId}/guilds/${GUILD}/commands`,
      body: [{ name: 'subscribe' }, { name: 'brief' }],
      status: 200,
    });

    const bad = await rejection(
      client.application.commands.set([{ name: 'Bad Name', description: 'x' }], GUILD),
      DiscordAPIError,
    );
    expect(bad.message).toContain('0.name[APPLICATION_COMMAND_INVALID_NAME]');

    // A dispatched command carries the registered id.
    const handle = server.interact({ channelId: CHANNEL, name: 'brief' });
    expect(handle.payload).toMatchObject({
      data: { id: first.find((c) => c.name === 'brief')?.id, guild_id: GUILD },
    });
  });
});
