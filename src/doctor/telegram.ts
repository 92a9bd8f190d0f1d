/** The Telegram token (getMe) and the webhook state (getWebhookInfo), through grammY's Api. */
import type { Config } from '../config/index.js';
import { type CheckRow, row } from './types.js';

const CHECK = 'telegram';
const CHECK_WEBHOOK = 'telegram webhook';

export async function checkTelegram(config: Config): Promise<CheckRow[]> {
  const token = config.secrets.telegramBotToken;
  if (token === null) {
    return [row(CHECK, 'skip', 'not configured (TELEGRAM_BOT_TOKEN is not set)')];
  }
  // Loaded only when there is a token to check.
  const [{ Api }, { telegramProblem }] = await Promise.all([
    import('grammy'),
    import('../adapters/telegram/errors.js'),
  ]);
  const apiRoot = config.telegram.apiRoot;
  const api = new Api(token, {
    apiRoot,
    timeoutSeconds: Math.max(1, Math.ceil(config.http.timeoutMs / 1000)),
  });

  // The bot's start words a failure the same way (one line there, two columns here).
  const failure = (error: unknown): CheckRow => {
    const { detail, fix } = telegramProblem(error, apiRoot);
    return row(CHECK, 'fail', detail, fix);
  };

  let me: Awaited<ReturnType<typeof api.getMe>>;
  try {
    me = await api.getMe();
  } catch (error) {
    return [failure(error), row(CHECK_WEBHOOK, 'skip', 'needs a working token')];
  }
  const rows = [row(CHECK, 'ok', `@${me.username} (id ${me.id})`)];

  const configured = config.telegram.webhookUrl;
  if (configured !== null && config.server.port === null) {
    rows.push(
      row(
        CHECK_WEBHOOK,
        'fail',
        'TELEGRAM_WEBHOOK_URL is set but HTTP_PORT is not: the webhook needs a port to listen on',
        'set HTTP_PORT, or unset TELEGRAM_WEBHOOK_URL to use long polling',
      ),
    );
    return rows;
  }
  let info: Awaited<ReturnType<typeof api.getWebhookInfo>>;
  try {
    info = await api.getWebhookInfo();
  } catch (error) {
    const { detail, fix } = failure(error);
    rows.push(row(CHECK_WEBHOOK, 'fail', `getWebhookInfo: ${detail}`, fix));
    return rows;
  }
  const pending = `${info.pending_update_count} update${info.pending_update_count === 1 ? '' : 's'} pending`;
  if (configured === null) {
    rows.push(
      info.url
        ? row(
            CHECK_WEBHOOK,
            'warn',
            `a webhook is set (${info.url}): long polling will delete it`,
            'nothing to do if long polling is meant; to keep the webhook, set TELEGRAM_WEBHOOK_URL and HTTP_PORT',
          )
        : row(CHECK_WEBHOOK, 'ok', `none: long polling, ${pending}`),
    );
    return rows;
  }
  if (!info.url) {
    rows.push(
      row(
        CHECK_WEBHOOK,
        'warn',
        `TELEGRAM_WEBHOOK_URL is ${configured}, but Telegram has no webhook set: the bot sets it at start`,
        'nothing to do before the first start; unset TELEGRAM_WEBHOOK_URL to use long polling',
      ),
    );
  } else if (info.url !== configured) {
    rows.push(
      row(
        CHECK_WEBHOOK,
        'warn',
        `Telegram delivers to ${info.url}, not to TELEGRAM_WEBHOOK_URL ${configured}: the bot moves it at start`,
        'make sure no other instance uses this token, or it loses its updates',
      ),
    );
  } else if (info.last_error_message) {
    const when =
      info.last_error_date !== undefined
        ? ` (${new Date(info.last_error_date * 1000).toISOString()})`
        : '';
    rows.push(
      row(
        CHECK_WEBHOOK,
        'warn',
        `Telegram's last delivery to ${info.url} failed${when}: ${info.last_error_message}; ${pending}`,
        `make ${configured} reachable from the internet over HTTPS (proxy → HTTP_PORT)`,
      ),
    );
  } else if (config.secrets.telegramWebhookSecret === null) {
    // The bot makes a random secret at each start and gives it to setWebhook: requests
    // without it are refused all the same.
    rows.push(
      row(CHECK_WEBHOOK, 'ok', `${info.url}, ${pending}; secret: a random one at each start`),
    );
  } else {
    rows.push(row(CHECK_WEBHOOK, 'ok', `${info.url}, ${pending}`));
  }
  return rows;
}
