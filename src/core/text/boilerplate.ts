/**
 * What sites and agencies add around a story, taken out before anything reads the text:
 * publishing-platform footers ("The post … appeared first on …"), "Read more" links, share
 * bars, newsletter prompts, photo credits and captions, bylines, agency sign-offs
 * ("(Reporting by …; Editing by …)") and datelines ("WASHINGTON (Reuters) -"), in the five
 * languages the engine reads. Pages lose most of this to Readability first; this catches
 * what reaches the text anyway, from pages and from feed items alike.
 *
 * What remains is made of verbatim pieces of the text: a piece taken out of the middle of a
 * line leaves a paragraph break, so no sentence is ever glued across a cut.
 */

import { codeUnitClasses } from './code-units.js';

const AGENCY =
  'Reuters|AP|AFP|EFE|dpa|DPA|ANSA|CNN|Xinhua|Bloomberg|Europa Press|SDA|sda|APA|Belga|KNA|epd|AGI|Adnkronos|LaPresse|Keystone-SDA|Keystone|Notimex|EPA|UPI|PA|Kyodo|Yonhap|Interfax|TASS|Tass';

/** Whole lines that are never story text. Each is anchored and bounded: no backtracking. */
const LINE_PATTERN_LIST: readonly RegExp[] = [
  // Publishing platforms' footers, as WordPress writes them in each language.
  /^The post .{1,300} appeared first on .{1,200}$/,
  /^L[’']article .{1,300} est apparu en premier sur .{1,200}$/,
  /^L[’']articolo .{1,300} proviene da .{1,200}$/,
  /^Der Beitrag .{1,300} erschien zuerst auf .{1,200}$/,
  /^La entrada .{1,300} se publicó primero en .{1,200}$/,
  /^(?:This (?:article|story|post) (?:was )?(?:originally|first) (?:published|appeared)|Originally published) .{0,300}$/i,
  // Links to other stories.
  /^(?:read more|read also|also read|see also|more on this|leggi anche|leggi pure|leggi l[’']articolo|potrebbe interessarti|lire aussi|à lire aussi|a lire aussi|voir aussi|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|das könnte sie auch interessieren|lee también|lea también|te puede interesar|ver también)(?:\s*[:：»›|>–—-]+\s*|\s+|$).{0,300}$/i,
  /^(?:related|related stories|related articles|more|watch|video|más información|info)\s*:.{0,300}$/i,
  // Newsletter and subscription prompts.
  /^(?:sign up|subscribe|get our|iscriviti|abbonati|inscrivez-vous|abonnez-vous|abonnieren sie|jetzt abonnieren|suscríbete|suscríbase|apúntate)\b.{0,300}$/i,
  // Photo credits and captions that carry one.
  /^(?:photo|photos|foto|fotos|bild|bilder|image|picture|credit|crédit|crédits|quelle|fuente|video)s?\s*(?:credit\s*)?[:©].{0,200}$/i,
  /^\(?(?:photo|foto|image|picture)s? (?:by|di|de|von|par|por)\s.{1,120}\)?$/i,
  new RegExp(
    `^\\(?(?:${AGENCY}|Getty Images|Shutterstock|iStock|Imago|Ipa|Alamy)\\s*/\\s*[^.!?]{1,80}\\)?$`,
    'i',
  ),
  /^(?:©|\(c\)|copyright)\s?.{0,200}$/i,
  // Agency sign-offs: "(Reporting by …; Editing by …)", "(Avec AFP)", "(dpa/afp)".
  /^\((?:additional )?(?:reporting|writing|editing|compiled) by [^)]{1,300}\)\.?$/i,
  // The same as its own line without brackets, as agencies' sites print it: two or more
  // credits ("Reporting by …; Editing by …"), or one that ends without a full stop (a
  // sentence such as "Reporting by the BBC found …." ends with one).
  /^(?:additional )?(?:reporting|writing|editing|compiled) by [^;!?]{1,150}(?:;\s*(?:additional )?(?:reporting|writing|editing|compiled|graphics|fact-checking|research) by [^;!?]{1,150})+\.?$/i,
  /^(?:additional )?(?:reporting|writing|editing) by [^;.!?]{1,80}$/i,
  new RegExp(
    `^\\((?:avec |with |mit |con |con información de |fuente: |source: )?(?:${AGENCY})(?:\\s*[/,]\\s*(?:${AGENCY}))*\\)\\.?$`,
    'i',
  ),
  // Daily Mail headers and video prompts.
  /^(?:published|updated|last updated|created)\s*:.{0,120}$/i,
  /^scroll down for (?:video|more).{0,100}$/i,
];

/**
 * A regex source with each `.` written as the class of what it matches, `[^\n\r\u2028\u2029]`:
 * the same regex, cheaper to compile under the flags `iu`.
 *
 * Under `iu` V8 closes every character set over case, and a `.` is the set of all of Unicode
 * but the four line terminators: closing that costs milliseconds per regex, on first use and
 * again when V8 compiles the regex to machine code. The negated class is the same set (in
 * `u` mode both match a whole code point, a lone surrogate too), and what it leaves out has
 * no case variants, so V8 has next to nothing to close. For a source compiled without the
 * `s` flag (with it `.` matches line terminators too) and without `v` (where classes nest).
 */
export function withExplicitDots(source: string): string {
  return source.replace(DOT_OR_SKIPPED, (m) => (m === '.' ? ANY_BUT_LINE_TERMINATOR : m));
}

/**
 * What withExplicitDots reads, left to right: an escape (a backslash and the character after
 * it) or a class (up to its first unescaped `]`, so `[]` and `[^]` too), both left as they
 * are, or a `.`, replaced.
 */
const DOT_OR_SKIPPED = /\\[\s\S]|\[(?:\\[\s\S]|[^\]\\])*\]|\./g;
const ANY_BUT_LINE_TERMINATOR = '[^\\n\\r\\u2028\\u2029]';

/**
 * One regex for them all: a story line fails each alternative at its first word. Its dots
 * are written out as classes (the same regex): under `iu` a `.` is the costliest part of
 * compiling it, in every process's first brief.
 */
const LINE_PATTERNS = new RegExp(
  LINE_PATTERN_LIST.map((re) => `(?:${withExplicitDots(re.source)})`).join('|'),
  'iu',
);

/**
 * Lines that are boilerplate wherever the telling words sit in them: each test runs only
 * on a line holding its keyword (in lower case), so a story line costs one indexOf each.
 */
const KEYWORD_LINES: readonly [string[], RegExp][] = [
  [
    ['click', 'clicca', 'cliquez', 'klicken', 'clic'],
    /\b(?:click here|clicca qui|cliquez ici|hier klicken|klicken sie hier|haz clic aquí|pulse aquí)\b/i,
  ],
  [
    ['newsletter'],
    /sign up|subscribe|iscriv|abbona|ricev|inscri|abonn|recev|erhalten|bestellen|suscr|recib|apúnt/i,
  ],
  // A caption ending with its credit: "… on Tuesday. Photo: Mark Lennihan/AP".
  [
    ['photo', 'foto', 'bild', 'image', 'crédit', 'credit'],
    /\b(?:photo|foto|bild|image|crédit|credit)\s*:\s*[^.!?:]{1,80}$/i,
  ],
  [
    ['reserved', 'réservés', 'vorbehalten', 'riservata', 'reservados'],
    /all rights reserved|tous droits réservés|alle rechte vorbehalten|riproduzione riservata|todos los derechos reservados/i,
  ],
];

/**
 * One search for any of several strings: a regex alternation scans the text once, where a
 * `includes` per string scans it once each (several times slower on a whole article).
 */
function anyOf(strings: readonly string[]): RegExp {
  return new RegExp(strings.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

/** Each KEYWORD_LINES test, behind one search for its keywords (in a lower-case text). */
const KEYWORD_TESTS: readonly [RegExp, RegExp][] = KEYWORD_LINES.map(([keys, re]) => [
  anyOf(keys),
  re,
]);
const ANY_KEYWORD = anyOf(KEYWORD_LINES.flatMap(([keys]) => keys));

function isKeywordLine(line: string, lower: string): boolean {
  return KEYWORD_TESTS.some(([keys, re]) => keys.test(lower) && re.test(line));
}

const INLINE_CREDIT_HINTS = anyOf([
  '(',
  'Detailansicht',
  'vergrößern',
  'Enlarge',
  'caption',
  'Agrandir',
  'Ingrandisci',
]);

/** Share bars: a share word, then the names of the networks run together. */
const SHARE =
  /(?:share (?:this|on|via|with)?|partager|partagez|condividi|teilen|compartir|comparte)\s*(?:[:|]?\s*(?:with|su|sur|auf|en|on)?\s*)(?:(?:e-?mail|facebook|messenger|twitter|x|whatsapp|linkedin|pinterest|reddit|telegram|flipboard|xing|copy (?:this )?link|copier le lien|link kopieren|copia link|correo|imprimer|print|drucken|stampa|imprimir)\s*[|,·•]?\s*){2,}/iy;
const SHARE_START =
  /share (?:this|on|via|with)?|partager|partagez|condividi|teilen|compartir|comparte/gi;
const SHARE_WORDS = anyOf(['share', 'partag', 'condivid', 'teilen', 'compart']);

/** Any keyword or share word: one scan of the whole text finds the lines that hold one. */
const TELLING_WORDS = new RegExp(`${ANY_KEYWORD.source}|${SHARE_WORDS.source}`, 'g');

/**
 * Where a keyword or share word starts in the lower-cased text, each start once (the
 * search resumes one character after a hit, so words that overlap are all found); null
 * when lower-casing changed the text's length ("İ"), so that its offsets are not the
 * text's and every line must be read on its own.
 */
function tellingWordStarts(text: string): number[] | null {
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return null;
  const starts: number[] = [];
  TELLING_WORDS.lastIndex = 0;
  for (let m = TELLING_WORDS.exec(lower); m; m = TELLING_WORDS.exec(lower)) {
    starts.push(m.index);
    TELLING_WORDS.lastIndex = m.index + 1;
  }
  return starts;
}

/** Bylines: a few capitalised names after By/Di/Par/Von/Por, maybe an agency. */
const BYLINE =
  /^(?:[Bb]y|BY|[Dd]i|DI|[Dd]a|[Pp]ar|PAR|[Vv]on|VON|[Pp]or|POR|[Dd]e)\s+\p{Lu}[\p{L}'’.-]*(?:,?\s+(?:\p{Lu}[\p{L}'’.-]*|and|und|e|et|y|&|\||-|–|—|\/|de|di|da|van|von|del|della|le|la))*(?:\s*[,|–—-]\s*[\p{L} ]{1,40})?$/u;

/**
 * An agency's tag in a dateline: "(Reuters)", "(EFE)", and a regional desk after a slash,
 * "(dpa/lnw)", "(ANSA/AGI)".
 */
const AGENCY_TAG = `\\((?:${AGENCY})(?:\\s*/\\s*[\\p{L}]{1,12})?\\)`;

/**
 * A place's name: capitalised words, maybe joined by the small words of place names ("Rio
 * de Janeiro", "Frankfurt am Main"), so that a sentence that opens with lower-case words
 * before an agency ("Según la agencia (EFE): …") is no dateline.
 */
const PLACE_NAME = `\\p{Lu}[\\p{L}'’./-]*(?:\\s(?:\\p{Lu}[\\p{L}'’./-]*|de|del|la|las|los|el|di|da|do|dos|della|am|an|der|im|upon|sur|en|y|le|les|au)){0,5}`;

/**
 * A dateline that names its agency, wherever a paragraph opens with it (agency copy strings
 * stories together, each with its own): "WASHINGTON (Reuters) -", "PARIS, 3 mars (AFP) -",
 * "Duisburg (dpa/lnw) -", and EFE's style, with the date after the city and a stop before
 * the dash, "Madrid, 13 nov (EFE).-", "Fráncfort (Alemania), 18 dic (EFE).-".
 */
const AGENCY_DATELINE = new RegExp(
  [
    // CITY[ (Region)][, date] (Agency)[.] - : the date part is bounded and has no brackets.
    `^${PLACE_NAME}(?:\\s*\\([\\p{Lu}][\\p{L} .'’-]{1,30}\\))?(?:,\\s*[^()\\n]{1,40}?)?\\s*${AGENCY_TAG}\\.?\\s*(?:--|[-–—:])\\s*`,
    // (Agency) - CITY, date - : the Italian agencies' style.
    `^${AGENCY_TAG}\\s*(?:--|[-–—:])?\\s*(?:\\p{Lu}{2,}[\\p{Lu} ]{0,30}(?:,\\s*[^-–—\\n]{1,30}?)?\\s*[-–—]\\s*)?`,
  ].join('|'),
  'u',
);

/**
 * A dateline without an agency, "ROMA –", "SEOUL —": a place name in capitals, then a dash.
 * Only the story's first line is read so: further down, capitals and a dash are as likely
 * an acronym opening a sentence ("NATO - …").
 */
const PLACE_DATELINE =
  /^\p{Lu}{2,}(?:[ -]\p{Lu}{2,}){0,3}(?:,\s*[\p{Lu}][\p{L}. ]{1,30})?\s+(?:--|[-–—])\s+/u;

/**
 * How many characters of a paragraph are its dateline (0 when it has none): the one
 * dateline detector, used to keep datelines out of the text that the actors and the summary
 * read (`stripBoilerplate`) and out of the sentence a summary shows. `opensStory` allows the
 * form without an agency, which only the story's first line may have.
 */
export function datelineLength(paragraph: string, opensStory = true): number {
  const head = paragraph.slice(0, 160);
  // Every agency dateline holds its agency's tag in brackets: a paragraph without one in
  // its head is spared the regex (asked of every paragraph, costly on capitalised ones, and
  // dear to compile, some milliseconds of a process's first brief).
  const agency =
    head.includes('(') && AGENCY_TAG_START.test(head) ? AGENCY_DATELINE.exec(head) : null;
  const m = agency ?? (opensStory && opensInCapitals(head) ? PLACE_DATELINE.exec(head) : null);
  return m && m[0].length < paragraph.length ? m[0].length : 0;
}

/**
 * How each agency tag starts: its bracket, the agency, then a slash, a space or the closing
 * bracket. Plain ASCII, so cheap to compile where AGENCY_DATELINE is not.
 */
const AGENCY_TAG_START = new RegExp(`\\((?:${AGENCY})[\\s/)]`);

/**
 * Whether a text may open with two capitals, as PLACE_DATELINE's must: false when its first
 * two characters are not both A-Z but one of them is ASCII (A-Z are ASCII's only capitals).
 * Most stories open so, and are spared compiling that regex.
 */
function opensInCapitals(text: string): boolean {
  for (let i = 0; i < 2; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128) return true;
    if (!(code >= 65 && code <= 90)) return false;
  }
  return true;
}

/** A photo credit run into the dateline: "REUTERS / Leonhard Foeger PARIS (Reuters) -". */
const LEADING_CREDIT = new RegExp(
  `^(?:${AGENCY}|REUTERS|Getty Images)\\s*/\\s*(?:\\p{Lu}[\\p{Ll}'’-]+\\s+){1,3}(?=\\p{Lu}{2,})`,
  'u',
);

/** AFP crossheads run into the text: `voiture.- "S'approprier leur vie" -Le`. */
const CROSSHEAD = /-\s[^\n.]{1,90}?\s-(?=\s*["«“]?\p{Lu})/gu;
/** What a crosshead follows: the start of the line or the end of a sentence. */
const BEFORE_CROSSHEAD = /(?:^|[.!?"»”…])\s*$/;

/** Photo credits and image-viewer labels inside a line: "(Foto: dpa)", "Detailansicht öffnen". */
const INLINE_CREDIT =
  /\((?:[Pp]hotos?|PHOTOS?|[Ff]otos?|FOTOS?|[Bb]ild|[Ii]mages?|[Cc]r[ée]dits?)\s*:\s*[^)\n]{1,60}\)|Detailansicht öffnen|Bild vergrößern|Enlarge this image|Toggle caption|Hide caption|Agrandir l[’']image|Ingrandisci/gu;

/** "(Reporting by …)" at the end of the story's last line. */
const TRAILING_SIGNOFF =
  /\s*\((?:additional )?(?:reporting|writing|editing) by [^)]{1,300}\)\.?\s*$/i;

// A footer repeats the headline, which can be long: lines up to this many words are tested.
const WORDS_IN_SHORT_LINE = 60;

interface Range {
  start: number;
  end: number;
}

/**
 * The words of text[start, end), counted up to `atMost` + 1: past the longest line tested
 * there is no need to go on.
 */
function wordCount(text: string, start: number, end: number, atMost: number): number {
  let n = 0;
  let inWord = false;
  for (let i = start; i < end && n <= atMost; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** The words of a line, counted up to one past the longest line tested. */
function wordsIn(text: string, range: Range): number {
  return range.end - range.start <= 900
    ? wordCount(text, range.start, range.end, WORDS_IN_SHORT_LINE)
    : Number.POSITIVE_INFINITY;
}

/**
 * The text without its boilerplate: verbatim pieces of `text` joined by paragraph breaks.
 * An empty string when nothing but boilerplate was there.
 */
export function stripBoilerplate(text: string): string {
  const lines = linesOf(text);
  const kept: Range[] = [];
  let storyStarted = false;
  // Most lines hold none of the telling words: one scan of the whole text says which do,
  // and only those are lower-cased and tested.
  const telling = tellingWordStarts(text);
  let nextTelling = 0;
  for (let k = 0; k < lines.length; k++) {
    const range = lines[k] as Range;
    const line = text.slice(range.start, range.end);
    let tells = telling === null;
    if (telling !== null) {
      while ((telling[nextTelling] ?? Number.POSITIVE_INFINITY) < range.start) nextTelling++;
      tells = (telling[nextTelling] ?? Number.POSITIVE_INFINITY) < range.end;
    }
    const lower = tells ? line.toLowerCase() : '';
    const sharing = tells && SHARE_WORDS.test(lower);
    // The words are counted only for a line a test matched: most lines match none.
    if (
      (LINE_PATTERNS.test(line) || (tells && isKeywordLine(line, lower))) &&
      wordsIn(text, range) <= WORDS_IN_SHORT_LINE
    )
      continue;
    if (sharing && isShareBar(line) && wordsIn(text, range) <= WORDS_IN_SHORT_LINE) continue;
    const nearEdge = !storyStarted || k >= lines.length - 2;
    if (nearEdge && wordsIn(text, range) <= 12 && BYLINE.test(line) && !/[.!?]$/.test(line))
      continue;
    let start = range.start;
    let end = range.end;
    if (!storyStarted) {
      // Every credit holds its slash: a line without one is spared compiling the regex.
      const credit = line.includes('/') ? LEADING_CREDIT.exec(line) : null;
      if (credit) start += credit[0].length;
    }
    // Twice: "PARIS (Reuters) - (CNN) …" when one agency's copy carries another's.
    for (let n = 0; n < 2; n++) {
      const dateline = datelineLength(text.slice(start, end), !storyStarted);
      if (dateline === 0) break;
      start += dateline;
    }
    if (k === lines.length - 1) {
      const signoff = TRAILING_SIGNOFF.exec(text.slice(Math.max(start, end - 400), end));
      if (signoff) end -= signoff[0].length;
    }
    for (const piece of cutInline(text, start, end, sharing)) kept.push(piece);
    storyStarted = true;
  }
  return join(text, kept);
}

/** White space as `trim` sees it, per code unit. */
const trimmable = codeUnitClasses((ch) => (ch.trim() === '' ? 1 : 0));

/**
 * The text's lines without the white space around them, as offsets (blank lines left out),
 * found by a scan: no match object, line or trimmed copy of it per line.
 */
function linesOf(text: string): Range[] {
  const lines: Range[] = [];
  for (let from = 0; from <= text.length; ) {
    const newline = text.indexOf('\n', from);
    const to = newline < 0 ? text.length : newline;
    let start = from;
    let end = to;
    while (start < end && trimmable(text.charCodeAt(start)) === 1) start++;
    while (end > start && trimmable(text.charCodeAt(end - 1)) === 1) end--;
    if (end > start) lines.push({ start, end });
    from = to + 1;
  }
  return lines;
}

/** The pieces of a line left once share bars and crossheads are cut out of it. */
function cutInline(text: string, start: number, end: number, sharing: boolean): Range[] {
  const line = text.slice(start, end);
  const cuts: Range[] = [];
  if (sharing)
    for (const m of line.matchAll(SHARE_START)) {
      SHARE.lastIndex = m.index;
      const bar = SHARE.exec(line);
      if (bar) cuts.push({ start: m.index, end: m.index + bar[0].length });
    }
  if (line.includes('- '))
    for (const m of line.matchAll(CROSSHEAD))
      if (BEFORE_CROSSHEAD.test(line.slice(Math.max(0, m.index - 3), m.index)))
        cuts.push({ start: m.index, end: m.index + m[0].length });
  if (INLINE_CREDIT_HINTS.test(line))
    for (const m of line.matchAll(INLINE_CREDIT))
      cuts.push({ start: m.index, end: m.index + m[0].length });
  if (cuts.length === 0) return [{ start, end }];
  cuts.sort((a, b) => a.start - b.start);
  const pieces: Range[] = [];
  let from = 0;
  for (const cut of cuts) {
    if (cut.start > from) pieces.push(trimmed(text, start + from, start + cut.start));
    from = Math.max(from, cut.end);
  }
  if (from < line.length) pieces.push(trimmed(text, start + from, end));
  return pieces.filter((p) => p.end > p.start);
}

function isShareBar(line: string): boolean {
  SHARE.lastIndex = 0;
  const m = /^(?:share|partager|partagez|condividi|teilen|compartir|comparte)/i.exec(line);
  if (!m) return false;
  const bar = SHARE.exec(line);
  return bar !== null && bar[0].length >= line.length - 2;
}

function trimmed(text: string, start: number, end: number): Range {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
  return { start: s, end: e };
}

/** Kept pieces back into text: contiguous lines as they were, a cut as a paragraph break. */
function join(text: string, kept: readonly Range[]): string {
  // Most texts lose nothing between their first and last kept pieces: then the result is
  // that stretch of the text, a slice of it, not a copy glued back piece by piece.
  if (unbroken(text, kept)) {
    const first = kept[0];
    const last = kept[kept.length - 1];
    return first && last ? text.slice(first.start, last.end) : '';
  }
  let out = '';
  let previous: Range | null = null;
  for (const piece of kept) {
    if (previous) {
      const gap = text.slice(previous.end, piece.start);
      out += /^\s*$/.test(gap) && gap.length > 0 ? gap : '\n\n';
    }
    out += text.slice(piece.start, piece.end);
    previous = piece;
  }
  return out;
}

/** Whether only white space, and some, lies between each kept piece and the next. */
function unbroken(text: string, kept: readonly Range[]): boolean {
  for (let k = 1; k < kept.length; k++) {
    const gapStart = (kept[k - 1] as Range).end;
    const gapEnd = (kept[k] as Range).start;
    if (gapEnd <= gapStart) return false;
    for (let i = gapStart; i < gapEnd; i++) if (!/\s/.test(text[i] as string)) return false;
  }
  return true;
}
