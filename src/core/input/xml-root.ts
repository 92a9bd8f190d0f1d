/** Leading prolog, doctype, comments and processing instructions. */
export const PREAMBLE =
  /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*/i;

/** The name of the document's root element, lower-cased (`rss`, `feed`, `rdf:rdf`, `item`…). */
export function rootElementName(xml: string): string | null {
  const rest = xml.replace(/^\ufeff/, '').replace(PREAMBLE, '');
  const m = /^<([A-Za-z_][\w.:-]*)/.exec(rest);
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** Root elements this module reads. */
export const FEED_ROOTS: ReadonlySet<string> = new Set(['rss', 'feed', 'rdf:rdf', 'item', 'entry']);
