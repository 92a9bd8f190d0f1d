/**
 * A file a user attached to a command (the OPML of /import), downloaded from the platform
 * with a byte cap that holds while the body streams (a size the platform announced is not
 * trusted) and a deadline. One helper for Telegram and Discord.
 */
import { errorLine, type Log } from '../../shared/log.js';

export type Download =
  | { ok: true; text: string }
  /** Over `maxBytes`, announced or counted. */
  | { ok: false; problem: 'too-large' }
  /** The request failed or the server refused; `detail` went to the log. */
  | { ok: false; problem: 'unreadable'; detail: string };

export interface DownloadOptions {
  maxBytes: number;
  /** Default 15 s. */
  timeoutMs?: number;
  /** For the log line: `discord: attachment feeds.opml: HTTP 404`. */
  label: string;
  log: Log;
}

/** The file's text (UTF-8), or why not. Never throws for a network failure. */
export async function downloadAttachment(url: string, options: DownloadOptions): Promise<Download> {
  const { maxBytes, label, log } = options;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  } catch (error) {
    const detail = errorLine(error);
    log.warn(`${label}: ${detail}`);
    return { ok: false, problem: 'unreadable', detail };
  }
  if (!response.ok || !response.body) {
    const detail = `HTTP ${response.status}`;
    log.warn(`${label}: ${detail}`);
    return { ok: false, problem: 'unreadable', detail };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) return { ok: false, problem: 'too-large' };
      chunks.push(chunk);
    }
  } catch (error) {
    const detail = errorLine(error);
    log.warn(`${label}: ${detail}`);
    return { ok: false, problem: 'unreadable', detail };
  }
  return { ok: true, text: new TextDecoder().decode(Buffer.concat(chunks)) };
}
