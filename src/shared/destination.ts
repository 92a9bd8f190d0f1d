/**
 * Where a post goes: `console`, `telegram:<chat id>` (a number, or @channelname) or
 * `discord:<channel id>`; a forum topic of a Telegram group is `telegram:<chat id>/<topic id>`
 * (its message_thread_id), a Discord thread `discord:<channel id>/<thread id>` (the thread's
 * own channel id after the channel it belongs to, so one look tells where it is). One type
 * for the config, the store and the platforms, so a plain string never stands in for one.
 */
export type Destination = 'console' | `telegram:${string}` | `discord:${string}`;
