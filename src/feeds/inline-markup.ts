/**
 * Markup written inside a feed's text elements as XML (Atom `type="xhtml"`, Atom 0.3
 * `mode="xml"`, RSS descriptions with raw `<p>`s) becomes an xml2js tree that loses the
 * order of mixed content (`<p>Inline <b>XHTML</b> body.</p>` read "Inline body.XHTML")
 * and that anything reading it must walk, as deep as a hostile feed nests it. Such bodies
 * are handed to the XML parser as HTML text instead: the inner XML as it is, in a CDATA
 * section, the element marked `type="html"`. The HTML reader downstream decodes its
 * entities and reads its tags in order, without recursion.
 */

/** The elements whose text the bot reads, RSS and Atom; anything else keeps its tree. */
const TEXT_ELEMENTS = ['title', 'description', 'content:encoded', 'summary', 'content'];

/**
 * Where a scan goes next: a CDATA section, a comment, or an open tag of a text element.
 * Its attributes stop at the next `<` (never in a well-formed attribute): a run of
 * unclosed `<title` costs one look each, not a look to the end of the document each.
 */
const NEXT = new RegExp(
  `<!\\[CDATA\\[|<!--|<(${TEXT_ELEMENTS.join('|')})(?=[\\s/>])([^<>]*)>`,
  'g',
);

/** `type="…"` and Atom 0.3's `mode="…"`, replaced by type="html". */
const TYPE_OR_MODE = /\s(?:type|mode)\s*=\s*(?:"[^"]*"|'[^']*')/g;

/** The index just past `end` from `from`, or -1 (the document is cut short). */
function past(xml: string, end: string, from: number): number {
  const at = xml.indexOf(end, from);
  return at < 0 ? -1 : at + end.length;
}

function isNameEnd(char: string | undefined, selfClosing: boolean): boolean {
  return char === '>' || (selfClosing && char === '/') || /\s/.test(char ?? '');
}

/**
 * The body of element `name` from `from`: where its close tag starts, and whether it
 * holds an element (not counting CDATA, comments, processing instructions). Nested
 * elements of the same name are counted. Null when the document ends first.
 */
function scanBody(
  xml: string,
  from: number,
  name: string,
): { close: number; children: boolean } | null {
  let depth = 0;
  let children = false;
  let at = from;
  for (;;) {
    const lt = xml.indexOf('<', at);
    if (lt < 0) return null;
    if (xml.startsWith('<![CDATA[', lt)) at = past(xml, ']]>', lt + 9);
    else if (xml.startsWith('<!--', lt)) at = past(xml, '-->', lt + 4);
    else if (xml.startsWith('<?', lt)) at = past(xml, '?>', lt + 2);
    else if (xml[lt + 1] === '/') {
      if (xml.startsWith(name, lt + 2) && isNameEnd(xml[lt + 2 + name.length], false)) {
        if (depth === 0) return { close: lt, children };
        depth--;
      }
      at = lt + 2;
    } else {
      children = true;
      if (xml.startsWith(name, lt + 1) && isNameEnd(xml[lt + 1 + name.length], true)) {
        const gt = xml.indexOf('>', lt);
        if (gt < 0) return null;
        if (xml[gt - 1] !== '/') depth++;
        at = gt + 1;
      } else {
        at = lt + 1;
      }
    }
    if (at < 0) return null;
  }
}

/**
 * The document with every RSS/Atom text element that holds child elements rewritten as
 * `<name … type="html"><![CDATA[inner XML]]></name>`. One pass of indexOf and a regex
 * without backtracking: linear in the document, no recursion.
 */
export function markupAsHtml(xml: string): string {
  const next = new RegExp(NEXT);
  const out: string[] = [];
  let done = 0;
  for (let m = next.exec(xml); m; m = next.exec(xml)) {
    const [token, name, attributes = ''] = m;
    if (!name) {
      // A CDATA section or a comment: nothing in it is markup.
      const end = past(xml, token === '<!--' ? '-->' : ']]>', m.index + token.length);
      if (end < 0) break;
      next.lastIndex = end;
      continue;
    }
    if (attributes.endsWith('/')) continue;
    const bodyStart = m.index + token.length;
    const body = scanBody(xml, bodyStart, name);
    if (!body) break; // cut short: the XML parser will say so
    next.lastIndex = body.close;
    if (!body.children) continue;
    const inner = xml.slice(bodyStart, body.close).replace(/]]>/g, ']]]]><![CDATA[>');
    const html = `${attributes.replace(TYPE_OR_MODE, '')} type="html"`;
    out.push(xml.slice(done, m.index), `<${name}${html}><![CDATA[${inner}]]>`);
    done = body.close;
  }
  out.push(xml.slice(done));
  return out.join('');
}
