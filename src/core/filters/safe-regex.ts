/**
 * Regular expressions from chat users, run in linear time.
 *
 * JavaScript's RegExp backtracks: `(a+)+$` takes exponential time, and even `.*a.*a.*b`
 * — no nesting at all — takes ~1 minute on 1,000 characters. So user patterns are parsed
 * here, checked (no backreferences or lookarounds, which no linear-time engine can run; no
 * nested quantifiers such as `(a+)+`; bounded counts and size), compiled to a Thompson NFA
 * and run by simulating every state at once: time O(text × pattern), whatever the pattern.
 *
 * The syntax is JavaScript's: literals, `.`, classes `[a-z]` `[^…]`, `\d \w \s \b` and
 * their negations, `\p{…}`, `^ $` (at line ends), groups `(…)` `(?:…)` `(?<name>…)`,
 * alternation `|`, quantifiers `* + ? {n} {n,} {n,m}` (lazy forms accepted). Matching is
 * case- and accent-insensitive (text and pattern are folded); `\w` and `\b` know every
 * script's letters. So JavaScript's flags i, m and u are how it always matches; s (`.`
 * matches line breaks too) is the one option.
 */

export class RegexError extends Error {
  override readonly name = 'RegexError';
}

export interface SafeRegex {
  /** The pattern as given. */
  readonly source: string;
  /** Whether the pattern occurs in `text` (its first MAX_REGEX_INPUT characters). */
  test(text: string): boolean;
}

export const MAX_PATTERN_LENGTH = 200;
export const MAX_REPEAT = 100;
export const MAX_STATES = 2000;
/** Text beyond this many characters is not searched (title + summary are far shorter). */
export const MAX_REGEX_INPUT = 10_000;

type CharTest = (c: string) => boolean;

type Node =
  | { t: 'char'; test: CharTest }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'assert'; kind: '^' | '$' | 'b' | 'B' };

/** Lower case without accents: how both the text and the pattern's letters are compared. */
export function foldForMatch(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const WORD = /[\p{L}\p{N}_]/u;
const isWord = (c: string | undefined): boolean => c !== undefined && WORD.test(c);
const DIGIT: CharTest = (c) => c >= '0' && c <= '9';
const SPACE_RE = /\s/u;
const SPACE: CharTest = (c) => SPACE_RE.test(c);
const LINE_END = new Set(['\n', '\r', '\u2028', '\u2029']);

function nativeTest(body: string, what: string): CharTest {
  let re: RegExp;
  try {
    re = new RegExp(`^${body}$`, 'iu');
  } catch {
    throw new RegexError(`${what} is not valid`);
  }
  return (c) => re.test(c);
}

class PatternParser {
  private readonly cps: string[];
  private at = 0;

  constructor(
    pattern: string,
    private readonly dotAll: boolean,
  ) {
    this.cps = Array.from(pattern);
  }

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.cps.length) throw new RegexError('has a ) without its (');
    return node;
  }

  private peek(): string | undefined {
    return this.cps[this.at];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { t: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const rest = this.cps.slice(this.at).join('');
      const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      if (!m)
        throw new RegexError(
          'has a { that starts no count like {2,5} (write \\{ for the character)',
        );
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY;
      if (min > MAX_REPEAT || (Number.isFinite(max) && max > MAX_REPEAT)) {
        throw new RegexError(`counts above {${MAX_REPEAT}} are not allowed`);
      }
      if (max < min) throw new RegexError(`has a count {${min},${max}} out of order`);
      this.at += Array.from(m[0]).length - 1;
    } else {
      return atom;
    }
    this.at++;
    if (this.peek() === '?') this.at++; // lazy: the same for a yes/no match
    if (atom.t === 'assert') throw new RegexError('has a quantifier with nothing to repeat');
    if (max > 1 && repeats(atom)) {
      throw new RegexError('has nested quantifiers such as (a+)+, which are not allowed');
    }
    const next = this.peek();
    if (next === '*' || next === '+' || next === '?' || next === '{') {
      throw new RegexError('has a quantifier with nothing to repeat');
    }
    return { t: 'rep', node: atom, min, max };
  }

  private atom(): Node {
    const c = this.cps[this.at++] as string;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        return { t: 'char', test: this.dotAll ? () => true : (x) => !LINE_END.has(x) };
      case '^':
      case '$':
        return { t: 'assert', kind: c };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
      case '{':
        throw new RegexError('has a quantifier with nothing to repeat');
      default:
        return literal(c);
    }
  }

  private group(): Node {
    if (this.peek() === '?') {
      const kind = this.cps.slice(this.at + 1, this.at + 3).join('');
      if (kind.startsWith(':')) this.at += 2;
      else if (kind.startsWith('=') || kind.startsWith('!') || kind === '<=' || kind === '<!') {
        throw new RegexError('uses a lookaround like (?=…), which is not allowed');
      } else if (kind.startsWith('<')) {
        const close = this.cps.indexOf('>', this.at);
        if (close < 0) throw new RegexError('has a (?< group without its name>');
        this.at = close + 1;
      } else {
        throw new RegexError(`has an unknown group (?${kind.slice(0, 1)}`);
      }
    }
    const inner = this.alternation();
    if (this.cps[this.at] !== ')') throw new RegexError('has a ( without its )');
    this.at++;
    return inner;
  }

  private charClass(): Node {
    let body = '';
    if (this.peek() === '^') {
      body += '^';
      this.at++;
    }
    for (;;) {
      const c = this.cps[this.at++];
      if (c === undefined) throw new RegexError('has a [ without its ]');
      if (c === ']') break;
      if (c === '\\') {
        const e = this.cps[this.at++];
        if (e === undefined) throw new RegexError('ends with a lone \\');
        if (e === 'w') body += '\\p{L}\\p{N}_';
        else if (e === 'W' || e === 'B') {
          throw new RegexError(`\\${e} inside [...] is not supported; use [^...]`);
        } else if (/[1-9]/.test(e))
          throw new RegexError('uses a backreference, which is not allowed');
        else body += `\\${e}`;
        continue;
      }
      if (c === '[') {
        body += '\\[';
        continue;
      }
      body += c;
    }
    return { t: 'char', test: nativeTest(`[${body}]`, `[${body}]`) };
  }

  private escape(): Node {
    const e = this.cps[this.at++];
    if (e === undefined) throw new RegexError('ends with a lone \\');
    switch (e) {
      case 'd':
        return { t: 'char', test: DIGIT };
      case 'D':
        return { t: 'char', test: (c) => !DIGIT(c) };
      case 'w':
        return { t: 'char', test: isWord };
      case 'W':
        return { t: 'char', test: (c) => !isWord(c) };
      case 's':
        return { t: 'char', test: SPACE };
      case 'S':
        return { t: 'char', test: (c) => !SPACE(c) };
      case 'b':
      case 'B':
        return { t: 'assert', kind: e };
      case 'n':
        return literal('\n');
      case 'r':
        return literal('\r');
      case 't':
        return literal('\t');
      case 'f':
        return literal('\f');
      case 'v':
        return literal('\v');
      case '0':
        return literal('\0');
      case 'k':
        throw new RegexError('uses a backreference, which is not allowed');
      case 'x': {
        const hex = this.cps.slice(this.at, this.at + 2).join('');
        if (!/^[0-9a-f]{2}$/i.test(hex))
          throw new RegexError('has a \\x not followed by 2 hex digits');
        this.at += 2;
        return literal(String.fromCodePoint(Number.parseInt(hex, 16)));
      }
      case 'u': {
        const rest = this.cps.slice(this.at, this.at + 8).join('');
        const m = /^(?:([0-9a-f]{4})|\{([0-9a-f]{1,6})\})/i.exec(rest);
        const code = m ? Number.parseInt((m[1] ?? m[2]) as string, 16) : Number.NaN;
        if (!m || code > 0x10ffff) throw new RegexError('has a \\u without a valid code point');
        this.at += m[0].length;
        return literal(String.fromCodePoint(code));
      }
      case 'p':
      case 'P': {
        const rest = this.cps.slice(this.at, this.at + 60).join('');
        const m = /^\{[\w=]+\}/.exec(rest);
        if (!m) throw new RegexError(`has a \\${e} without {Property}`);
        this.at += m[0].length;
        return { t: 'char', test: nativeTest(`\\${e}${m[0]}`, `\\${e}${m[0]}`) };
      }
      default:
        if (/[1-9]/.test(e)) throw new RegexError('uses a backreference, which is not allowed');
        if (/[\p{L}\p{N}]/u.test(e)) throw new RegexError(`has an unknown escape \\${e}`);
        return literal(e);
    }
  }
}

/** A literal character: folded, so it may become several (or none). */
function literal(c: string): Node {
  const folded = Array.from(foldForMatch(c));
  const items: Node[] = folded.map((f) => ({ t: 'char', test: (x: string) => x === f }));
  return items.length === 1 ? (items[0] as Node) : { t: 'seq', items };
}

/** Does this node contain a quantifier that repeats (max > 1)? */
function repeats(node: Node): boolean {
  switch (node.t) {
    case 'rep':
      return node.max > 1 || repeats(node.node);
    case 'seq':
      return node.items.some(repeats);
    case 'alt':
      return node.options.some(repeats);
    default:
      return false;
  }
}

type State =
  | { op: 'char'; test: CharTest; out: number }
  | { op: 'split'; outs: number[] }
  | { op: 'assert'; kind: '^' | '$' | 'b' | 'B'; out: number }
  | { op: 'match' };

/** Thompson construction, back to front: compile(node, next) returns node's entry state. */
class Compiler {
  readonly states: State[] = [{ op: 'match' }];

  private push(state: State): number {
    if (this.states.length >= MAX_STATES) {
      throw new RegexError('is too complex (too many repetitions or alternatives)');
    }
    this.states.push(state);
    return this.states.length - 1;
  }

  compile(node: Node, next: number): number {
    switch (node.t) {
      case 'char':
        return this.push({ op: 'char', test: node.test, out: next });
      case 'assert':
        return this.push({ op: 'assert', kind: node.kind, out: next });
      case 'seq': {
        let entry = next;
        for (let k = node.items.length - 1; k >= 0; k--) {
          entry = this.compile(node.items[k] as Node, entry);
        }
        return entry;
      }
      case 'alt':
        return this.push({ op: 'split', outs: node.options.map((o) => this.compile(o, next)) });
      case 'rep': {
        let entry: number;
        if (Number.isFinite(node.max)) {
          // x{min,max} = x…x (min times), then (x(x(…)?)?)? for the optional ones.
          entry = next;
          for (let k = node.min; k < node.max; k++) {
            entry = this.push({ op: 'split', outs: [this.compile(node.node, entry), next] });
          }
        } else {
          const loop = this.push({ op: 'split', outs: [] });
          const body = this.compile(node.node, loop);
          this.states[loop] = { op: 'split', outs: [body, next] };
          entry = loop;
        }
        for (let k = 0; k < node.min; k++) entry = this.compile(node.node, entry);
        return entry;
      }
    }
  }
}

/**
 * A user's pattern → a matcher that runs in linear time. Throws RegexError with a short
 * reason (`uses a backreference, which is not allowed`) for anything it will not run.
 */
export interface SafeRegexOptions {
  /** The `s` flag: `.` matches line breaks too (the title and each summary line are lines). */
  dotAll?: boolean;
}

export function compileSafeRegex(pattern: string, options: SafeRegexOptions = {}): SafeRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexError(`is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  // Marks are never syntax: dropping them lets /séoul/ find "Seoul" and "Séoul".
  const ast = new PatternParser(
    pattern.normalize('NFD').replace(/\p{M}/gu, ''),
    options.dotAll === true,
  ).parse();
  const compiler = new Compiler();
  const start = compiler.compile(ast, 0);
  const states = compiler.states;

  return {
    source: pattern,
    test(text: string): boolean {
      const cps = Array.from(foldForMatch(text.slice(0, MAX_REGEX_INPUT)));
      const n = cps.length;
      const mark = new Int32Array(states.length).fill(-1);
      let current: number[] = [];
      let matched = false;
      const stack: number[] = [];

      // Adds `from` and every state reachable from it without reading a character.
      const add = (list: number[], from: number, pos: number): void => {
        stack.push(from);
        while (stack.length > 0) {
          const s = stack.pop() as number;
          if (mark[s] === pos) continue;
          mark[s] = pos;
          const state = states[s] as State;
          switch (state.op) {
            case 'match':
              matched = true;
              break;
            case 'char':
              list.push(s);
              break;
            case 'split':
              for (let k = state.outs.length - 1; k >= 0; k--) stack.push(state.outs[k] as number);
              break;
            case 'assert':
              if (holds(state.kind, cps, pos)) stack.push(state.out);
              break;
          }
        }
      };

      for (let pos = 0; ; pos++) {
        add(current, start, pos); // a match may start at any position
        if (matched) return true;
        if (pos === n || current.length === 0) {
          if (pos === n) return false;
          continue;
        }
        const c = cps[pos] as string;
        const next: number[] = [];
        for (const s of current) {
          const state = states[s] as State & { op: 'char' };
          if (state.test(c)) add(next, state.out, pos + 1);
          if (matched) return true;
        }
        current = next;
      }
    },
  };
}

function holds(kind: '^' | '$' | 'b' | 'B', cps: string[], pos: number): boolean {
  switch (kind) {
    case '^':
      return pos === 0 || LINE_END.has(cps[pos - 1] as string);
    case '$':
      return pos === cps.length || LINE_END.has(cps[pos] as string);
    case 'b':
      return isWord(cps[pos - 1]) !== isWord(cps[pos]);
    case 'B':
      return isWord(cps[pos - 1]) === isWord(cps[pos]);
  }
}
