/**
 * Translate the Oniguruma (Ruby syntax) regexes that tokenizer.json files carry into JS `u`-flag
 * RegExps with the same matches. Rust `tokenizers` compiles them with Oniguruma, whose defaults
 * differ from JS in ways that change token boundaries:
 *   - `\s` is Unicode White_Space: it includes U+0085 and excludes U+FEFF (JS is the other way round);
 *   - `\d` and `\w` are Unicode-aware; `.` excludes only "\n"; `^` / `$` are line anchors;
 *   - inline modifiers `(?i:...)` / `(?i)` exist (Node 20 has none), so we expand case by hand;
 *   - possessive quantifiers (`*+`, `++`, `?+`) and atomic groups `(?>...)` exist; JS emulates them
 *     with a lookahead capture and a back-reference, which never gives characters back;
 *   - a `{` that does not start a quantifier, or a lone `}` / `]`, is a literal.
 */
import { TokenizerConfigError } from './types.js';

/** Unicode White_Space, as Oniguruma's `\s` and Rust's `char::is_whitespace` define it. */
export const WHITE_SPACE_CLASS_BODY = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WORD_CLASS_BODY = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}';
const HEX_CLASS_BODY = '0-9a-fA-F';
const JS_SYNTAX_CHARS = '^$\\.*+?()[]{}|/';
const QUANTIFIER_BRACES = /^\{(\d+(,\d*)?|,\d+)\}/;

interface GroupFrame {
  outStart: number;
  atomic: boolean;
  ignoreCaseBefore: boolean;
}

class OnigTranslator {
  private out = '';
  private pos = 0;
  private ignoreCase = false;
  private readonly groups: GroupFrame[] = [];
  /** Output index where the last complete atom begins (what a quantifier applies to). */
  private atomStart = -1;
  /** Output indices of every capturing '(' emitted so far (to number the groups we add). */
  private captureOpens: number[] = [];

  constructor(
    private readonly source: string,
    private readonly component: string,
  ) {}

  translate(): string {
    const s = this.source;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '\\') this.escapeOutsideClass();
      else if (c === '[') this.charClass();
      else if (c === '(') this.openGroup();
      else if (c === ')') this.closeGroup();
      else if (c === '*' || c === '+' || c === '?') this.quantifier(c, 1);
      else if (c === '{') {
        const q = QUANTIFIER_BRACES.exec(s.slice(this.pos));
        if (q !== null && this.atomStart >= 0) this.quantifier(q[0].startsWith('{,') ? `{0${q[0].slice(1)}` : q[0], q[0].length);
        else this.literal('{');
      } else if (c === '.') this.atom('[^\\n]', 1);
      else if (c === '^') this.assertion('(?<![^\\n])', 1);
      else if (c === '$') this.assertion('(?![^\\n])', 1);
      else if (c === '|') this.assertion('|', 1);
      else {
        const cp = s.codePointAt(this.pos)!;
        this.literal(String.fromCodePoint(cp));
      }
    }
    if (this.groups.length > 0) this.fail('unbalanced parentheses');
    return this.out;
  }

  private fail(why: string): never {
    throw new TokenizerConfigError(this.component, `cannot translate regex ${JSON.stringify(this.source)}: ${why}`);
  }

  private atom(js: string, consumed: number): void {
    this.atomStart = this.out.length;
    this.out += js;
    this.pos += consumed;
  }

  private assertion(js: string, consumed: number): void {
    this.atomStart = -1;
    this.out += js;
    this.pos += consumed;
  }

  private literal(ch: string): void {
    this.atom(this.literalAsJs(ch, false), ch.length);
  }

  private literalAsJs(ch: string, inClass: boolean): string {
    if (this.ignoreCase) {
      const lower = ch.toLowerCase();
      const upper = ch.toUpperCase();
      if (lower !== upper && [...lower].length === 1 && [...upper].length === 1) {
        return inClass ? lower + upper : `[${lower}${upper}]`;
      }
    }
    if (inClass) return escapeInClass(ch);
    return JS_SYNTAX_CHARS.includes(ch) ? `\\${ch}` : ch;
  }

  private escapeOutsideClass(): void {
    const s = this.source;
    const c = s[this.pos + 1];
    if (c === undefined) this.fail('trailing backslash');
    switch (c) {
      case 's': return this.atom(`[${WHITE_SPACE_CLASS_BODY}]`, 2);
      case 'S': return this.atom(`[^${WHITE_SPACE_CLASS_BODY}]`, 2);
      case 'd': return this.atom('\\p{Nd}', 2);
      case 'D': return this.atom('\\P{Nd}', 2);
      case 'w': return this.atom(`[${WORD_CLASS_BODY}]`, 2);
      case 'W': return this.atom(`[^${WORD_CLASS_BODY}]`, 2);
      case 'h': return this.atom(`[${HEX_CLASS_BODY}]`, 2);
      case 'H': return this.atom(`[^${HEX_CLASS_BODY}]`, 2);
      case 'A': return this.assertion('(?<![\\s\\S])', 2);
      case 'z': return this.assertion('(?![\\s\\S])', 2);
      case 'Z': return this.assertion('(?=\\n?(?![\\s\\S]))', 2);
      case 'b': case 'B': return this.assertion(`\\${c}`, 2);
      case 'p': case 'P': {
        const [js, len] = this.property(c === 'P');
        return this.atom(js, len);
      }
      default: {
        const special = this.commonEscape();
        if (special !== null) return this.atom(special[0], special[1]);
        const ch = String.fromCodePoint(s.codePointAt(this.pos + 1)!);
        return this.atom(this.literalAsJs(ch, false), 1 + ch.length);
      }
    }
  }

  /**
   * Escapes that mean the same inside and outside a class (control chars, hex, code points,
   * back-references), as [JS source, length consumed]; null for an escaped literal character.
   */
  private commonEscape(): [string, number] | null {
    const s = this.source;
    const c = s[this.pos + 1];
    if ('nrtfv0'.includes(c)) return [`\\${c}`, 2];
    if (c === 'x') {
      const braced = /^\\x\{([0-9a-fA-F]+)\}/.exec(s.slice(this.pos));
      if (braced) return [`\\u{${braced[1]}}`, braced[0].length];
      const short = /^\\x([0-9a-fA-F]{1,2})/.exec(s.slice(this.pos));
      if (short) return [`\\u{${short[1]}}`, short[0].length];
    }
    if (c === 'u') {
      const u = /^\\u([0-9a-fA-F]{4})/.exec(s.slice(this.pos));
      if (u) return [`\\u${u[1]}`, u[0].length];
    }
    if (/[1-9]/.test(c)) return [`\\${c}`, 2];
    if (c === 'k') {
      const k = /^\\k<([A-Za-z_]\w*)>/.exec(s.slice(this.pos));
      if (k) return [k[0], k[0].length];
    }
    if (/[A-Za-z]/.test(c)) this.fail(`escape \\${c} has no JS equivalent`);
    return null;
  }

  /** `\p{Name}`, `\p{^Name}`, `\pL`: general categories pass through, other names are scripts. */
  private property(negated: boolean): [string, number] {
    const s = this.source;
    let name: string;
    let len: number;
    if (s[this.pos + 2] === '{') {
      const close = s.indexOf('}', this.pos + 3);
      if (close < 0) this.fail('unterminated \\p{');
      name = s.slice(this.pos + 3, close);
      len = close + 1 - this.pos;
    } else {
      name = s[this.pos + 2] ?? '';
      len = 3;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const letter = negated ? 'P' : 'p';
    for (const candidate of [name, `Script=${name}`]) {
      try {
        new RegExp(`\\p{${candidate}}`, 'u');
        return [`\\${letter}{${candidate}}`, len];
      } catch {
        continue;
      }
    }
    this.fail(`unknown Unicode property ${name}`);
  }

  private charClass(): void {
    const s = this.source;
    const start = this.out.length;
    let body = '[';
    let i = this.pos + 1;
    if (s[i] === '^') {
      body += '^';
      i++;
    }
    let first = true;
    while (i < s.length && (s[i] !== ']' || first)) {
      first = false;
      const c = s[i];
      if (c === '[') this.fail('nested or POSIX bracket classes are not supported');
      if (c === '&' && s[i + 1] === '&') this.fail('class intersection (&&) is not supported');
      if (c === '\\') {
        const e = s[i + 1];
        this.pos = i;
        if (e === 's') body += WHITE_SPACE_CLASS_BODY;
        else if (e === 'd') body += '\\p{Nd}';
        else if (e === 'w') body += WORD_CLASS_BODY;
        else if (e === 'h') body += HEX_CLASS_BODY;
        else if (e === 'S' || e === 'D' || e === 'W' || e === 'H') this.fail(`\\${e} inside a class is not supported`);
        else if (e === 'p' || e === 'P') {
          const [js, len] = this.property(e === 'P');
          body += js;
          i += len;
          continue;
        } else {
          const special = this.commonEscape();
          const ch = String.fromCodePoint(s.codePointAt(i + 1)!);
          body += special === null ? this.literalAsJs(ch, true) : special[0];
          i += special === null ? 1 + ch.length : special[1];
          continue;
        }
        i += 2;
        continue;
      }
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      const isRange = s[i + ch.length] === '-' && s[i + ch.length + 1] !== undefined && s[i + ch.length + 1] !== ']';
      if (isRange) {
        const endCp = s.codePointAt(i + ch.length + 1)!;
        const endCh = String.fromCodePoint(endCp);
        if (endCh === '\\') this.fail('escaped range ends are not supported');
        body += `${escapeInClass(ch)}-${escapeInClass(endCh)}`;
        if (this.ignoreCase && /[a-zA-Z]/.test(ch) && /[a-zA-Z]/.test(endCh)) {
          const swap = (x: string) => (x === x.toLowerCase() ? x.toUpperCase() : x.toLowerCase());
          body += `${swap(ch)}-${swap(endCh)}`;
        }
        i += ch.length + 1 + endCh.length;
        continue;
      }
      body += this.literalAsJs(ch, true);
      i += ch.length;
    }
    if (i >= s.length) this.fail('unterminated character class');
    this.out += `${body}]`;
    this.atomStart = start;
    this.pos = i + 1;
  }

  private openGroup(): void {
    const s = this.source;
    const frame: GroupFrame = { outStart: this.out.length, atomic: false, ignoreCaseBefore: this.ignoreCase };
    const rest = s.slice(this.pos);
    const modifiers = /^\(\?([imx]*)(?:-([imx]*))?(:|\))/.exec(rest);
    if (modifiers && (modifiers[1] !== '' || modifiers[2] !== undefined)) {
      const on = modifiers[1];
      const off = modifiers[2] ?? '';
      if (/[mx]/.test(on + off)) this.fail('only the i modifier is supported');
      const ignoreCase = on.includes('i') ? true : off.includes('i') ? false : this.ignoreCase;
      this.pos += modifiers[0].length;
      if (modifiers[3] === ')') {
        // `(?i)` switches case folding on until the enclosing group ends.
        this.ignoreCase = ignoreCase;
        this.atomStart = -1;
        return;
      }
      this.ignoreCase = ignoreCase;
      this.groups.push(frame);
      this.out += '(?:';
      return;
    }
    const prefix = /^\(\?(:|=|!|<=|<!|>|<[A-Za-z_]\w*>)/.exec(rest);
    if (prefix) {
      frame.atomic = prefix[1] === '>';
      this.out += frame.atomic ? '(?:' : prefix[0];
      if (prefix[1].startsWith('<') && prefix[1].endsWith('>') && prefix[1].length > 2 && prefix[1][1] !== '=' && prefix[1][1] !== '!') {
        this.captureOpens.push(frame.outStart);
      }
      this.pos += prefix[0].length;
    } else if (rest.startsWith('(?')) {
      this.fail(`group syntax ${rest.slice(0, 4)} is not supported`);
    } else {
      this.captureOpens.push(frame.outStart);
      this.out += '(';
      this.pos += 1;
    }
    this.groups.push(frame);
  }

  private closeGroup(): void {
    const frame = this.groups.pop();
    if (frame === undefined) this.fail('unbalanced parentheses');
    this.out += ')';
    this.pos += 1;
    this.ignoreCase = frame.ignoreCaseBefore;
    this.atomStart = frame.outStart;
    if (frame.atomic) this.makeAtomic(frame.outStart);
  }

  private quantifier(q: string, consumed: number): void {
    if (this.atomStart < 0) this.fail(`quantifier ${q} follows nothing`);
    this.out += q;
    this.pos += consumed;
    const next = this.source[this.pos];
    if (next === '?') {
      this.out += '?';
      this.pos += 1;
    } else if (next === '+' && consumed === 1) {
      this.pos += 1;
      this.makeAtomic(this.atomStart);
    }
    this.atomStart = -1;
  }

  /** Wrap out[from..] as `(?=(X))\N`: the lookahead matches greedily once and the back-reference consumes it. */
  private makeAtomic(from: number): void {
    const inner = this.out.slice(from);
    const groupNumber = this.captureOpens.filter((p) => p < from).length + 1;
    const prefix = '(?:(?=(';
    this.captureOpens = this.captureOpens.map((p) => (p >= from ? p + prefix.length : p));
    this.captureOpens.push(from + prefix.length - 1);
    this.captureOpens.sort((a, b) => a - b);
    this.out = `${this.out.slice(0, from)}${prefix}${inner}))\\${groupNumber})`;
    this.atomStart = from;
  }
}

function escapeInClass(ch: string): string {
  return '\\-[]^'.includes(ch) ? `\\${ch}` : ch;
}

/** Translate an Oniguruma pattern to a global, Unicode JS RegExp; `component` names the config part for errors. */
export function onigToJsRegExp(pattern: string, component: string): RegExp {
  const source = new OnigTranslator(pattern, component).translate();
  try {
    return new RegExp(source, 'gu');
  } catch (cause) {
    throw new TokenizerConfigError(component, `regex ${JSON.stringify(pattern)} became invalid JS ${JSON.stringify(source)}`, { cause });
  }
}
