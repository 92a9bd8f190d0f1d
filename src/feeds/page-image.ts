/**
 * The lead image of an article page (its og:image or twitter:image), for a polled item whose
 * feed gives none. Only the head of the page is read, through the same SSRF guard as feeds,
 * with a small byte cap and a short deadline: a brief never waits long for its picture, and
 * any failure (refused address, 404, not HTML, too slow) is simply no image.
 */
import { pageImage } from '../core/input/html.js';
import { checkFeedUrl, type GuardOptions, guardedAgents, ownsAgents } from '../net/guard.js';
import { fetchBytes } from '../net/http.js';

/** Read of a page at most: its head, where the meta tags are, not the story. */
export const PAGE_HEAD_BYTES = 128 * 1024;
/** The whole exchange, redirects included: longer than that, the brief goes without. */
export const PAGE_IMAGE_TIMEOUT_MS = 4_000;

export interface PageImageOptions
  extends Pick<GuardOptions, 'allowPrivate' | 'lookup' | 'localAddresses'> {
  userAgent?: string | undefined;
  maxRedirects?: number | undefined;
  /** Default PAGE_IMAGE_TIMEOUT_MS. */
  timeoutMs?: number | undefined;
  /** Default PAGE_HEAD_BYTES. */
  maxBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Names reserved never to resolve (RFC 2606, RFC 6761: `.example`, `.invalid`, `.test`):
 * not worth a DNS query. Sample feeds and tests link there.
 */
const NEVER_RESOLVES = /\.(?:example|invalid|test)\.?$/i;

/** The page's og:image (else twitter:image), absolute http(s); null when none or on any failure. */
export async function fetchPageImage(
  url: string,
  options: PageImageOptions = {},
): Promise<string | null> {
  const guard: GuardOptions = {
    allowPrivate: options.allowPrivate,
    allowFile: false,
    lookup: options.lookup,
    localAddresses: options.localAddresses,
  };
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  if (NEVER_RESOLVES.test(host)) return null;
  const own = ownsAgents(guard);
  const agents = await guardedAgents(guard);
  try {
    const first = await checkFeedUrl(url, guard);
    const got = await fetchBytes(first, {
      maxBytes: options.maxBytes ?? PAGE_HEAD_BYTES,
      truncate: true,
      timeoutMs: options.timeoutMs ?? PAGE_IMAGE_TIMEOUT_MS,
      headers: { accept: 'text/html,application/xhtml+xml;q=0.9' },
      agents: agents ?? undefined,
      // Every redirect target is checked as the first URL was.
      checkUrl: async (next) => void (await checkFeedUrl(next, guard)),
      ...(options.maxRedirects !== undefined ? { maxRedirects: options.maxRedirects } : {}),
      ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!/html/i.test(got.contentType ?? 'text/html')) return null;
    const html = new TextDecoder('utf-8').decode(got.bytes);
    return pageImage(html, got.finalUrl);
  } catch {
    return null;
  } finally {
    if (own && agents) {
      agents.http.destroy();
      agents.https.destroy();
    }
  }
}
