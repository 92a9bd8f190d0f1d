import { DOMParser } from 'linkedom';

/*
 * The small part of the DOM this layer uses, typed structurally: the project compiles
 * without the DOM lib, and linkedom's own classes are not the global DOM types.
 */

export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly childNodes: ArrayLike<DomNode>;
  readonly parentNode: DomNode | null;
  textContent: string | null;
}

export interface DomElement extends DomNode {
  readonly localName: string;
  readonly tagName: string;
  readonly children: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  getElementsByTagName(name: string): ArrayLike<DomElement>;
  remove(): void;
  append(...nodes: DomNode[]): void;
  prepend(...nodes: DomNode[]): void;
}

export interface DomDocument extends DomNode {
  readonly documentElement: DomElement | null;
  readonly head: DomElement;
  readonly body: DomElement;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  getElementsByTagName(name: string): ArrayLike<DomElement>;
  createElement(name: string): DomElement;
}

export const TEXT_NODE = 3;
export const ELEMENT_NODE = 1;
export const CDATA_SECTION_NODE = 4;

export function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

function hasDocumentElement(markup: string): boolean {
  // linkedom builds no implied <html>: a page without one parses to a bare fragment.
  return /^(?:\s|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!doctype[^>]*>)*<html[\s>]/i.test(markup);
}

/**
 * Parse an HTML page or fragment into a document that always has <html>, <head> and
 * <body>, whatever the markup omitted (linkedom, unlike a browser, does not imply them).
 */
export function parseHtmlDocument(markup: string): DomDocument {
  const source = hasDocumentElement(markup)
    ? markup
    : `<!DOCTYPE html><html><head></head><body>${markup}</body></html>`;
  const doc = new DOMParser().parseFromString(source, 'text/html') as unknown as DomDocument;
  const root = doc.documentElement;
  if (!root) return parseHtmlDocument(`<body>${markup}</body>`);
  const kids = Array.from(root.childNodes);
  const hasBody = kids.some((n) => isElement(n) && n.localName === 'body');
  if (!hasBody) {
    // <html><head>…</head><p>…</p></html>: move everything but <head> into a new <body>.
    const body = doc.createElement('body');
    for (const node of kids) {
      if (isElement(node) && node.localName === 'head') continue;
      body.append(node);
    }
    root.append(body);
  }
  const first = Array.from(root.children)[0];
  if (first?.localName !== 'head') root.prepend(doc.createElement('head'));
  return doc;
}
