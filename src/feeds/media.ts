/**
 * The lead image of a feed item, as the feed declares it: Media RSS (`media:content`,
 * `media:group`, `media:thumbnail`), an RSS `<enclosure>` or Atom `<link rel="enclosure">`
 * of an image type, a JSON Feed `image`, `banner_image` or image attachment. Reads the
 * element trees rss-parser (xml2js) leaves, and returns the URL as written (parse.ts
 * resolves it against the item's base); undefined when the item declares none.
 */

type Fields = Record<string, unknown>;

function attributes(element: unknown): Fields {
  const attrs = (element as Fields | undefined)?.$;
  return attrs && typeof attrs === 'object' ? (attrs as Fields) : {};
}

function attr(element: unknown, name: string): string | undefined {
  const value = attributes(element)[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function elements(parent: unknown, name: string): unknown[] {
  const value = (parent as Fields | undefined)?.[name];
  return Array.isArray(value) ? value : [];
}

/** A path that names an image file: what a `media:content` without medium or type shows. */
const IMAGE_PATH = /\.(?:jpe?g|png|gif|webp|avif)(?:$|[?#])/i;

function isImageType(type: string | undefined): boolean {
  return type !== undefined && /^image\//i.test(type);
}

/**
 * A `media:content` that is an image: `medium="image"`, an image/* type, or (neither given)
 * a URL that names an image file. A video's `media:content` is not one.
 */
function mediaContentImage(element: unknown): string | undefined {
  const url = attr(element, 'url');
  if (url === undefined) return undefined;
  const medium = attr(element, 'medium');
  const type = attr(element, 'type');
  if (medium !== undefined) return medium.toLowerCase() === 'image' ? url : undefined;
  if (type !== undefined) return isImageType(type) ? url : undefined;
  return IMAGE_PATH.test(url) ? url : undefined;
}

/** The first image a list of `media:content` offers. */
function firstMediaContent(list: unknown[]): string | undefined {
  for (const element of list) {
    const url = mediaContentImage(element);
    if (url !== undefined) return url;
  }
  return undefined;
}

function firstThumbnail(parent: unknown): string | undefined {
  for (const element of elements(parent, 'media:thumbnail')) {
    const url = attr(element, 'url');
    if (url !== undefined) return url;
  }
  return undefined;
}

/**
 * An RSS or Atom item's lead image, the fullest first: a Media RSS image (on the item, then
 * in its `media:group`), an image enclosure, then a thumbnail.
 */
export function xmlItemImage(item: unknown): string | undefined {
  const groups = elements(item, 'media:group');
  const fromMedia =
    firstMediaContent(elements(item, 'media:content')) ??
    groups.map((group) => firstMediaContent(elements(group, 'media:content'))).find(Boolean);
  if (fromMedia !== undefined) return fromMedia;
  for (const enclosure of elements(item, 'enclosure')) {
    const url = attr(enclosure, 'url');
    if (url !== undefined && isImageType(attr(enclosure, 'type'))) return url;
  }
  for (const link of elements(item, 'link')) {
    if (attr(link, 'rel') !== 'enclosure' || !isImageType(attr(link, 'type'))) continue;
    const href = attr(link, 'href');
    if (href !== undefined) return href;
  }
  return firstThumbnail(item) ?? groups.map(firstThumbnail).find(Boolean);
}

/** A JSON Feed item's lead image: `image`, `banner_image`, then an image attachment. */
export function jsonItemImage(item: Fields): string | undefined {
  for (const key of ['image', 'banner_image'] as const) {
    const value = item[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  const attachments = Array.isArray(item.attachments) ? item.attachments : [];
  for (const attachment of attachments) {
    if (!attachment || typeof attachment !== 'object') continue;
    const { url, mime_type: type } = attachment as Fields;
    if (typeof url === 'string' && typeof type === 'string' && isImageType(type)) return url;
  }
  return undefined;
}
