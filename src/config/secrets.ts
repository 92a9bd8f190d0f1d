import { inspect } from 'node:util';

/** Secrets come from the environment only, never from a config file. */
export interface SecretValues {
  /** TELEGRAM_BOT_TOKEN: turns Telegram on. */
  telegramBotToken: string | null;
  /** TELEGRAM_WEBHOOK_SECRET: the secret-token header a webhook request must carry. */
  telegramWebhookSecret: string | null;
  /** DISCORD_TOKEN: turns Discord on. */
  discordToken: string | null;
}

export const SECRET_ENV = {
  telegramBotToken: 'TELEGRAM_BOT_TOKEN',
  telegramWebhookSecret: 'TELEGRAM_WEBHOOK_SECRET',
  discordToken: 'DISCORD_TOKEN',
} as const satisfies Record<keyof SecretValues, string>;

const REDACTED = '[redacted]';

/**
 * Tokens and webhook secrets. The values sit in private fields behind getters, so they are
 * not own properties: `JSON.stringify`, `util.inspect` / `console.log`, `{ ...secrets }`,
 * `Object.entries` and `String()` never show them. `toJSON()` says which ones are set.
 */
export class Secrets implements SecretValues {
  readonly #values: SecretValues;

  constructor(values: Partial<SecretValues> = {}) {
    this.#values = Object.freeze({
      telegramBotToken: values.telegramBotToken ?? null,
      telegramWebhookSecret: values.telegramWebhookSecret ?? null,
      discordToken: values.discordToken ?? null,
    });
    Object.freeze(this);
  }

  get telegramBotToken(): string | null {
    return this.#values.telegramBotToken;
  }

  get telegramWebhookSecret(): string | null {
    return this.#values.telegramWebhookSecret;
  }

  get discordToken(): string | null {
    return this.#values.discordToken;
  }

  /** Every secret value that is set, e.g. for a log redactor to scrub from text. */
  values(): string[] {
    return Object.values(this.#values).filter((v): v is string => typeof v === 'string');
  }

  /** `{ telegramBotToken: '[redacted]', discordToken: null, ... }`: which are set, not what. */
  toJSON(): Record<keyof SecretValues, string | null> {
    return {
      telegramBotToken: this.#values.telegramBotToken === null ? null : REDACTED,
      telegramWebhookSecret: this.#values.telegramWebhookSecret === null ? null : REDACTED,
      discordToken: this.#values.discordToken === null ? null : REDACTED,
    };
  }

  toString(): string {
    return '[Secrets redacted]';
  }

  [inspect.custom](_depth: number, options: object, nodeInspect: typeof inspect): string {
    return `Secrets ${nodeInspect(this.toJSON(), options)}`;
  }
}
