/**
 * Polled items take their article page's lead image when their feed gives none: the
 * og:image or twitter:image of the page's head (src/feeds/page-image.ts). Only for items
 * going to a chat that shows images — a subscription with `media` on, on Telegram or
 * Discord (the console shows none) — and each page is read once however many chats get
 * the item. A page that fails, is slow or has no image leaves the brief as it was.
 */
import { fetchPageImage, type PageImageOptions } from '../../feeds/page-image.js';
import { eachLimited } from '../../shared/pool.js';
import type { Destination, IngestItem, SubscriptionRecord } from '../../store/port.js';
import { postStyleOf } from '../../store/post-style.js';

/** Pages read at once in one poll: a feed's new items often all link to one site. */
export const PAGE_IMAGES_AT_ONCE = 4;

/** Where a post would show an image: subscribed with media on, on a platform with images. */
function showingImages(subscriptions: readonly SubscriptionRecord[]): Set<Destination> {
  return new Set(
    subscriptions
      .filter((s) => s.destination !== 'console' && postStyleOf(s.filters).media)
      .map((s) => s.destination),
  );
}

/** The items with their page's image where they need one; the others as they are. */
export async function withPageImages(
  items: readonly IngestItem[],
  subscriptions: readonly SubscriptionRecord[],
  options: PageImageOptions,
): Promise<IngestItem[]> {
  const out = [...items];
  const showing = showingImages(subscriptions);
  const wanted = out
    .map((item, index) => ({ item, index }))
    .filter(
      ({ item }) =>
        item.brief.image === undefined &&
        item.brief.url !== null &&
        item.destinations.some((d) => showing.has(d)),
    );
  await eachLimited(
    wanted,
    PAGE_IMAGES_AT_ONCE,
    async ({ item, index }) => {
      const image = await fetchPageImage(item.brief.url as string, options);
      if (image !== null) out[index] = { ...item, brief: { ...item.brief, image } };
    },
    () => options.signal?.aborted === true,
  );
  return out;
}
