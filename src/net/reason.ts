import { errorLine } from '../shared/log.js';
import { NETWORK_CAUSES } from './http.js';

/**
 * Why a request got no answer, in words: the innermost error code a client library wrapped
 * (grammY's HttpError, node-fetch's FetchError, undici's `fetch failed`), else a timeout,
 * else the innermost message. Messages can carry the request URL, and a Telegram URL holds
 * the token: the caller redacts what it prints.
 */
export function networkReason(error: unknown): string {
  let e: unknown = error;
  let words: string | null = null;
  for (let depth = 0; e && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CAUSES[code]) return NETWORK_CAUSES[code];
    const name = (e as { name?: unknown }).name;
    const message = (e as { message?: unknown }).message;
    if (
      name === 'TimeoutError' ||
      name === 'AbortError' ||
      /timed out|timeout/i.test(String(message))
    ) {
      return 'no answer in time (timed out)';
    }
    if (typeof message === 'string' && message && message !== 'fetch failed') words = message;
    e = (e as { cause?: unknown; error?: unknown }).cause ?? (e as { error?: unknown }).error;
  }
  return words ? errorLine(new Error(words)) : 'the request failed';
}
