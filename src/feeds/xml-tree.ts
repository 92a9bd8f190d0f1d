import { SaxesParser } from 'saxes';

/**
 * An XML document as xml2js builds it with rss-parser's options (xml2js 0.5 defaults:
 * explicitArray, explicitRoot, attributes under `$`, text under `_`, nothing trimmed or
 * normalised), the tree LeanParser maps into a feed. Objects have no prototype, as xml2js
 * makes them: an element named `constructor` or `__proto__` is a key like any other.
 */
export type XmlTree = Record<string, unknown>;

type Node = Record<string, unknown>;

/** Thrown at the first error after the root element: xml2js reads nothing there. */
const AFTER_ROOT = Symbol('after the root element');

const WHITESPACE = /^\s*$/;

/** sax-js's whitespace, then an XML declaration. */
const SPACED_DECLARATION = /^[ \t\r\n]+(?=<\?xml[ \t\r\n])/;

/**
 * The document from its XML declaration when only whitespace comes before it (after a
 * byte order mark: xml2js strips one, saxes reads one as one). saxes refuses a declaration
 * that is not at the very start; to sax-js it is a processing instruction, and the
 * whitespace before the root is nothing. Feeds that PHP prints a line break before are
 * common.
 */
function fromDeclaration(xml: string): string {
  const bom = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const space = SPACED_DECLARATION.exec(bom ? xml.slice(1) : xml);
  return space ? xml.slice(bom + space[0].length) : xml;
}

/**
 * `xml` → the tree xml2js builds of it, on saxes, a strict XML parser (twice as fast as
 * sax-js, on which xml2js runs). Each step mirrors xml2js's own handlers (lib/parser.js),
 * so that its corners come out the same: text around child elements is joined into one
 * `_`, whitespace-only text is dropped unless a CDATA section was in it, an empty element
 * is `''` (or its whitespace), an element with only text is that text, a child named `_`
 * or `cdata` collides with the bookkeeping as it does there.
 *
 * Iterative: the open elements are a stack of their own, however deep the document nests.
 * Throws saxes's error, with its line and column, on what is not well-formed XML; sax-js
 * lets more through (see LeanParser, which reads such documents the old way). What saxes
 * does differently on XML it accepts is what the XML spec asks: line ends are read as
 * `\n` (§2.11) and tabs and line ends in attribute values as spaces (§3.3.3).
 */
export function xmlTree(xml: string): XmlTree {
  // XML 1.0's rules whatever the declaration says: 1.1's would read U+0085 and U+2028 as
  // line ends, which sax-js never does.
  const parser = new SaxesParser({ defaultXMLVersion: '1.0', forceXMLVersion: true });
  // The open elements: each one's node, name, and how many keys its node has (xml2js
  // counts them with Object.keys as each closes; kept here as they are added and deleted).
  const nodes: Node[] = [];
  const names: string[] = [];
  const sizes: number[] = [];
  let top = -1;
  let root: XmlTree | undefined;
  /** Where the root element closed, -1 before. */
  let rootEnd = -1;

  parser.on('error', (error) => {
    // saxes reports a close tag that does not match after it closed the element, at the
    // same place: only what comes later is after the root.
    if (rootEnd >= 0 && parser.position > rootEnd) throw AFTER_ROOT;
    throw error;
  });

  parser.on('opentag', (tag) => {
    const node: Node = Object.create(null);
    node._ = '';
    let size = 1;
    const attributes = tag.attributes as Record<string, string>;
    for (const key in attributes) {
      if (size === 1) {
        node.$ = Object.create(null);
        size = 2;
      }
      (node.$ as Node)[key] = attributes[key];
    }
    top++;
    nodes[top] = node;
    names[top] = tag.name;
    sizes[top] = size;
  });

  parser.on('closetag', () => {
    const node = nodes[top] as Node;
    const name = names[top] as string;
    let size = sizes[top] as number;
    top--;
    let cdata = false;
    if (node.cdata === true) {
      cdata = true;
      delete node.cdata;
      size--;
    }
    let value: unknown = node;
    let whitespace: unknown;
    const text = node._;
    // `.match` as xml2js for a `_` that is not a string (after a child named `_`): it throws.
    if (
      (typeof text === 'string' ? WHITESPACE.test(text) : (text as string).match(WHITESPACE)) &&
      !cdata
    ) {
      whitespace = text;
      delete node._;
      size--;
    } else if (size === 1) {
      value = text; // the `_` is its only key
    }
    if (value === node && size === 0) value = whitespace;
    if (top >= 0) {
      const parent = nodes[top] as Node;
      if (!(name in parent)) {
        parent[name] = [value];
        (sizes[top] as number)++;
      } else if (Array.isArray(parent[name])) parent[name].push(value);
      else parent[name] = [parent[name], value];
    } else {
      root = Object.create(null) as XmlTree;
      root[name] = value;
      rootEnd = parser.position;
    }
  });

  const onText = (text: string): Node | undefined => {
    const node = top >= 0 ? nodes[top] : undefined; // none: whitespace around the root
    // `+` as xml2js's `+=`: a `_` made a list by a child named `_` becomes a string again.
    if (node) node._ = (node._ as string) + text;
    return node;
  };
  parser.on('text', onText);
  parser.on('cdata', (text) => {
    if (text === '') return; // sax-js reports no empty CDATA section: `<a><![CDATA[]]></a>` is ''
    const node = onText(text);
    if (node) {
      if (!('cdata' in node)) (sizes[top] as number)++;
      node.cdata = true;
    }
  });

  try {
    parser.write(fromDeclaration(xml)).close();
  } catch (error) {
    if (error !== AFTER_ROOT) throw error;
  }
  // saxes refuses a document without a root element, so there is one.
  return root as XmlTree;
}
