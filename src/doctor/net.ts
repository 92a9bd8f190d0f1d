import { errorLine } from '../scheduler/log.js';

const CAUSES: Record<string, string> = {
  ENOTFOUND: 'host not found (DNS lookup failed)',
  EAI_AGAIN: 'DNS lookup failed for now',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the server closed the connection',
  EPIPE: 'the server closed the connection',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'the server closed the connection',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host',
};

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
    if (typeof code === 'string' && CAUSES[code]) return CAUSES[code];
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
