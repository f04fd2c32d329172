/**
 * Rust `tokenizers`' `NormalizedString`: a piece of text being normalized that keeps, for every
 * UTF-16 unit of the normalized text, the [start, end) span of the original input it came from.
 * Alignments are absolute indices into the whole input, so pieces produced by `split` / `slice`
 * report final offsets without a shift. Every edit goes through `transformRange`, which follows
 * Rust's bookkeeping exactly: this is where offsets that match the Rust goldens come from.
 */
import { CharEdits, unitLength } from './char-edits.js';
import type { Pattern, PatternMatch } from './pattern.js';
import type { NormalizedStringLike, Offsets } from './types.js';
import { normalizationEdits, type NormalizationForm } from './unicode-normalize.js';
import { isWhitespace } from './unicode-props.js';

/** What `split` does with the pieces a pattern matched (tokenizer.json `behavior`). */
export type SplitDelimiterBehavior = 'removed' | 'isolated' | 'merged_with_previous' | 'merged_with_next' | 'contiguous';

const ASCII = /^[\0-\x7f]*$/;
const NON_ASCII = /[^\0-\x7f]/;

export class NormalizedString implements NormalizedStringLike {
  private text: string;
  /**
   * Original [start, end) of normalized unit `i` at `align[alignAt + 2 * i]`, `[alignAt + 2 * i + 1]`;
   * pieces cut by `slice` share their parent's array (nothing is modified in place, edits build a new one).
   * null while the text is still aligned one to one with the original from `identityStart` on (every unit
   * to itself, both units of a surrogate pair to the pair): most pieces never change width, so they never
   * pay for an array.
   */
  private align: Int32Array | null;
  private alignAt: number;
  private identityStart: number;
  /**
   * `original` is `source` from absolute offset `sourceStart`, cut to this piece's span when first read.
   * (Not readonly only so that `slice` can fill a piece in without an options object per piece.)
   */
  private source: string;
  private sourceStart: number;
  private originalText: string | null = null;
  private originalLength: number;

  /** A fresh string whose normalized form is `text` itself; offsets start at `originalStart`. */
  constructor(text: string, originalStart = 0) {
    this.text = text;
    this.source = text;
    this.sourceStart = originalStart;
    this.originalStart = originalStart;
    this.originalLength = text.length;
    this.align = null;
    this.alignAt = 0;
    this.identityStart = originalStart;
  }

  /** The original text this piece covers (Rust's `get_original`). */
  get original(): string {
    this.originalText ??= this.source.slice(this.originalStart - this.sourceStart, this.originalStart - this.sourceStart + this.originalLength);
    return this.originalText;
  }

  /** Where `original` starts in the whole input (Rust's `original_shift`). */
  readonly originalStart: number;

  get normalized(): string {
    return this.text;
  }

  get length(): number {
    return this.text.length;
  }

  isEmpty(): boolean {
    return this.text.length === 0;
  }

  /** [start, end) of `original` in the whole input (Rust's `offsets_original`). */
  offsetsOriginal(): Offsets {
    return [this.originalStart, this.originalStart + this.originalLength];
  }

  /** Original span of normalized unit `i`, absolute. */
  alignmentAt(i: number): Offsets {
    return [this.alignStart(i), this.alignEnd(i)];
  }

  private alignStart(i: number): number {
    if (this.align !== null) return this.align[this.alignAt + 2 * i];
    return this.identityStart + (isPairLow(this.text, i) ? i - 1 : i);
  }

  private alignEnd(i: number): number {
    if (this.align !== null) return this.align[this.alignAt + 2 * i + 1];
    return this.identityStart + (isPairHigh(this.text, i) ? i + 2 : i + 1);
  }

  /** The alignments as an array of their own, two entries per unit (what an edit rewrites). */
  private alignmentArray(): Int32Array {
    const out = new Int32Array(this.text.length * 2);
    for (let i = 0; i < this.text.length; i++) {
      out[2 * i] = this.alignStart(i);
      out[2 * i + 1] = this.alignEnd(i);
    }
    return out;
  }

  /**
   * Rust's `convert_offsets(Range::Normalized)` plus the shift `into_encoding` adds. An empty range
   * maps to itself (shifted), as Rust does; an invalid one is returned unchanged (Rust's fallback).
   */
  originalOffsets(range: Readonly<Offsets>): Offsets {
    const [start, end] = range;
    if (start === end) return [this.originalStart + start, this.originalStart + end];
    if (start > end || end > this.text.length || start < 0) return [start, end];
    // Rust's `expand_alignments`: start of the first unit, end of the last (not a min / max).
    return [this.alignStart(start), this.alignEnd(end - 1)];
  }

  /**
   * Replace normalized units [start, end) by `edits` (see `CharEdits`), after dropping the first
   * `initialOffset` characters of the range. Inserted characters take the alignment of the unit
   * before them (the start of this piece when there is none), others that of the character they replace.
   */
  transformRange(start: number, end: number, edits: CharEdits, initialOffset: number): void {
    const old = this.text;
    const oldAlign = this.alignmentArray();
    let offset = start;
    const consume = () => {
      if (offset < end) offset += unitLength(old.codePointAt(offset)!);
    };
    for (let k = 0; k < initialOffset; k++) consume();
    const { codePoints, changes } = edits;
    let units = 0;
    for (let k = 0; k < codePoints.length; k++) units += unitLength(codePoints[k]);
    const mid = new Int32Array(units * 2);
    let w = 0;
    for (let k = 0; k < codePoints.length; k++) {
      const change = changes[k];
      let s: number;
      let e: number;
      if (change > 0) {
        if (offset < 1) {
          s = this.originalStart;
          e = this.originalStart;
        } else {
          s = oldAlign[2 * (offset - 1)];
          e = oldAlign[2 * (offset - 1) + 1];
        }
      } else {
        const at = Math.min(offset, old.length - 1);
        s = oldAlign[2 * at];
        e = oldAlign[2 * at + 1];
        consume();
        for (let r = 0; r < -change; r++) consume();
      }
      const width = unitLength(codePoints[k]);
      for (let u = 0; u < width; u++) {
        mid[w++] = s;
        mid[w++] = e;
      }
    }
    const next = new Int32Array(oldAlign.length - (end - start) * 2 + mid.length);
    next.set(oldAlign.subarray(0, start * 2), 0);
    next.set(mid, start * 2);
    next.set(oldAlign.subarray(end * 2), start * 2 + mid.length);
    this.align = next;
    this.alignAt = 0;
    this.text = old.slice(0, start) + codePointsToString(codePoints) + old.slice(end);
  }

  /**
   * Replace the whole normalized text by `edits`. Edits that keep a character as it is leave its alignment
   * as it is, so only the span from the first real change to the last is rewritten: one accent in a long
   * text costs that span, not the text.
   */
  transform(edits: CharEdits, initialOffset = 0): void {
    const text = this.text;
    const { codePoints, changes } = edits;
    let first = 0;
    let start = 0;
    if (initialOffset === 0) {
      while (first < codePoints.length && changes[first] === 0 && start < text.length && text.codePointAt(start) === codePoints[first]) {
        start += unitLength(codePoints[first]);
        first++;
      }
    }
    let last = codePoints.length;
    let end = text.length;
    // Trailing edits line up with trailing characters only when the edits consume the text exactly.
    let consumed = initialOffset;
    for (let k = 0; k < changes.length; k++) if (changes[k] <= 0) consumed += 1 - changes[k];
    if (consumed === countCodePoints(text, 0, text.length)) {
      while (last > first && changes[last - 1] === 0 && end > start) {
        const charStart = charStartBefore(text, end);
        if (text.codePointAt(charStart) !== codePoints[last - 1]) break;
        end = charStart;
        last--;
      }
    }
    if (first === last && start === end) return;
    this.transformRange(start, end, first === 0 && last === codePoints.length ? edits : edits.slice(first, last), initialOffset);
  }

  /** Keep only characters for which `keep` holds; each removed one is charged to the kept one before it. */
  filter(keep: (codePoint: number) => boolean): void {
    const edits = new CharEdits();
    let removed = 0;
    let leadingRemoved = 0;
    let last = -1;
    let changed = false;
    forEachCodePoint(this.text, (cp) => {
      if (keep(cp)) {
        if (last >= 0) edits.push(last, -removed);
        else leadingRemoved = removed;
        last = cp;
        removed = 0;
      } else {
        removed++;
        changed = true;
      }
    });
    if (!changed) return;
    if (last >= 0) edits.push(last, -removed);
    else leadingRemoved = removed;
    this.transform(edits, leadingRemoved);
  }

  /**
   * Replace the text by one of the same length with its surrogate pairs at the same places (a one-for-one
   * rewrite of BMP characters): every alignment stays where it is, so only the text changes.
   */
  replaceUnitForUnit(text: string): void {
    if (text.length !== this.text.length) {
      throw new RangeError(`replaceUnitForUnit needs ${this.text.length} units, got ${text.length}`);
    }
    this.text = text;
  }

  /**
   * Replace the text by `text`, whose unit `j` stands for the character that starts at unit `from[j]` of the
   * current text and takes that character's whole span: what Rust leaves when each character is replaced
   * by several (ByteLevel's one character per UTF-8 byte), built in one pass.
   */
  rewriteUnits(text: string, from: Int32Array): void {
    const next = new Int32Array(text.length * 2);
    for (let j = 0; j < text.length; j++) {
      next[2 * j] = this.alignStart(from[j]);
      next[2 * j + 1] = this.alignEnd(from[j]);
    }
    this.align = next;
    this.alignAt = 0;
    this.text = text;
  }

  /**
   * Replace every character by `replacement(cp)` (possibly empty), each unit of which is aligned with the
   * character it came from: what any chain of per-character replacements, insertions after a character
   * and removals leaves in Rust, built in one pass.
   */
  replaceEachChar(replacement: (codePoint: number) => string): void {
    const text = this.text;
    // Most characters stay as they are, so the new text is built from the unchanged runs between the others.
    let replaced = '';
    let copiedTo = 0;
    let unitForUnit = true;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      const piece = replacement(cp);
      if (piece.length !== width || piece.codePointAt(0) !== cp) {
        replaced += text.slice(copiedTo, i) + piece;
        copiedTo = i + width;
        if (width !== 1 || piece.length !== 1 || isSurrogate(piece.charCodeAt(0))) unitForUnit = false;
      }
      i += width;
    }
    if (copiedTo === 0) return;
    replaced += text.slice(copiedTo);
    // Every BMP character became one BMP character (lowercasing, most accent stripping): each unit keeps its
    // alignment, so only the text changes.
    if (unitForUnit) {
      this.text = replaced;
      return;
    }
    const next = new Int32Array(replaced.length * 2);
    let w = 0;
    for (let i = 0; i < text.length; ) {
      const s = this.alignStart(i);
      const e = this.alignEnd(i);
      const cp = text.codePointAt(i)!;
      for (let u = replacement(cp).length; u > 0; u--) {
        next[w++] = s;
        next[w++] = e;
      }
      i += cp > 0xffff ? 2 : 1;
    }
    this.align = next;
    this.alignAt = 0;
    this.text = replaced;
  }

  /** Replace every character by the characters `expand(cp)` returns (the first replaces, the rest are inserted). */
  expandChars(expand: (codePoint: number, edits: CharEdits) => void): void {
    const edits = new CharEdits();
    forEachCodePoint(this.text, (cp) => expand(cp, edits));
    this.transform(edits);
  }

  /**
   * Insert `s` before the first character, aligned with it; nothing happens on an empty string. Rust edits
   * this as `s`'s first character replacing the text's first one, then the rest of `s` and that character
   * inserted: the replacing character takes the alignment of the replaced one's first unit, the inserted
   * ones that of its last unit, and the rest of the text keeps its own.
   */
  prepend(s: string): void {
    const text = this.text;
    if (text.length === 0 || s.length === 0) return;
    const firstLength = unitLength(text.codePointAt(0)!);
    const replacingLength = unitLength(s.codePointAt(0)!);
    const next = new Int32Array((s.length + text.length) * 2);
    let w = 0;
    for (let u = 0; u < s.length + firstLength; u++) {
      const at = u < replacingLength ? 0 : firstLength - 1;
      next[w++] = this.alignStart(at);
      next[w++] = this.alignEnd(at);
    }
    for (let i = firstLength; i < text.length; i++) {
      next[w++] = this.alignStart(i);
      next[w++] = this.alignEnd(i);
    }
    this.align = next;
    this.alignAt = 0;
    this.text = s + text;
  }

  /** Insert `s` after the last character, aligned with it; nothing happens on an empty string. */
  append(s: string): void {
    if (this.text.length === 0 || s.length === 0) return;
    const lastStart = charStartBefore(this.text, this.text.length);
    const edits = new CharEdits();
    edits.push(this.text.codePointAt(lastStart)!, 0);
    edits.pushString(s, 1);
    this.transformRange(lastStart, this.text.length, edits, 0);
  }

  /** Rust's per-character `to_lowercase` (no context rules such as final sigma). */
  lowercase(): void {
    const lower = this.text.toLowerCase();
    if (lower === this.text) return;
    // ASCII lowercases one for one, so only the text changes (JS and Rust agree on ASCII).
    if (ASCII.test(this.text)) {
      this.text = lower;
      return;
    }
    this.expandChars((cp, edits) => {
      if (cp >= 0x41 && cp <= 0x5a) edits.push(cp + 0x20, 0);
      else if (cp < 0x80) edits.push(cp, 0);
      else edits.pushString(String.fromCodePoint(cp).toLowerCase(), 0);
    });
  }

  /** NFC / NFD / NFKC / NFKD with Rust's alignments. */
  normalizeUnicode(form: NormalizationForm): void {
    // ASCII is left alone by every form, and no composition takes an ASCII character second, so only the
    // span from the first non-ASCII character to the last (plus the ASCII starter before it, which NFC /
    // NFKC may compose with what follows) can change.
    const text = this.text;
    let start = text.search(NON_ASCII);
    if (start === -1) return;
    let end = text.length;
    while (text.charCodeAt(end - 1) < 0x80) end--;
    if ((form === 'NFC' || form === 'NFKC') && start > 0) start--;
    const edits = normalizationEdits(text.slice(start, end), form);
    if (edits !== null) this.transformRange(start, end, edits, 0);
  }

  /** Replace every match of `pattern` by `content`; all of `content` is aligned with the match's last character. */
  replace(pattern: Pattern, content: string): void {
    const matches = pattern.findMatches(this.text);
    if (!matches.some((m) => m.isMatch)) return;
    if (content.length > 0 && matches.every((m) => !m.isMatch || isOneCodePoint(this.text, m.start, m.end))) {
      this.replaceSingleCharacters(matches, content);
      return;
    }
    const edits = new CharEdits();
    edits.pushString(content, 1);
    for (let k = matches.length - 1; k >= 0; k--) {
      const m = matches[k];
      if (!m.isMatch) continue;
      this.transformRange(m.start, m.end, edits, countCodePoints(this.text, m.start, m.end));
    }
  }

  /**
   * `replace` when every match is one character (" " → "▁" in SentencePiece files): replacing that character
   * by the content's first and inserting the rest aligns all of it with the match, as the per-match edits
   * do, in one pass over the text instead of one rewrite of the whole text per match.
   */
  private replaceSingleCharacters(matches: readonly PatternMatch[], content: string): void {
    const edits = new CharEdits();
    for (const m of matches) {
      if (m.isMatch) {
        edits.pushString(content, 0);
        continue;
      }
      for (let i = m.start; i < m.end; ) {
        const cp = this.text.codePointAt(i)!;
        edits.push(cp, 0);
        i += unitLength(cp);
      }
    }
    this.transform(edits);
  }

  /** Remove leading and/or trailing whitespace (Rust's `lrstrip`). */
  strip(left: boolean, right: boolean): void {
    const cps: number[] = [];
    forEachCodePoint(this.text, (cp) => cps.push(cp));
    let lead = 0;
    if (left) while (lead < cps.length && isWhitespace(cps[lead])) lead++;
    let trail = 0;
    if (right) while (trail < cps.length - lead && isWhitespace(cps[cps.length - 1 - trail])) trail++;
    if (lead === 0 && trail === 0) return;
    const edits = new CharEdits();
    for (let k = lead; k < cps.length - trail; k++) edits.push(cps[k], k === cps.length - trail - 1 ? -trail : 0);
    this.transform(edits, lead);
  }

  /** A new piece for normalized units [start, end), with the original span they align to. */
  slice(start: number, end: number): NormalizedString {
    const os = start === end ? this.originalStart + start : this.alignStart(start);
    const oe = start === end ? os : this.alignEnd(end - 1);
    let { align, alignAt } = this;
    // Cutting through a surrogate pair leaves a lone half whose alignment is the whole pair's, which the
    // identity rule cannot express: such a piece gets an array.
    if (align === null && (isPairLow(this.text, start) || isPairHigh(this.text, end - 1))) {
      align = this.alignmentArray();
      alignAt = 0;
    }
    const piece = new NormalizedString(this.text.slice(start, end), os);
    piece.source = this.source;
    piece.sourceStart = this.sourceStart;
    piece.originalLength = oe - os;
    piece.align = align;
    piece.alignAt = alignAt + 2 * start;
    piece.identityStart = this.identityStart + start;
    return piece;
  }

  /** Split on `pattern` (Rust's `NormalizedString::split`); empty pieces are kept, callers drop them. */
  split(pattern: Pattern, behavior: SplitDelimiterBehavior): NormalizedString[] {
    const matches = pattern.findMatches(this.text);
    if (behavior === 'removed' || behavior === 'isolated') {
      const pieces: NormalizedString[] = [];
      for (const m of matches) if (behavior === 'isolated' || !m.isMatch) pieces.push(this.slice(m.start, m.end));
      return pieces;
    }
    const spans: [number, number][] = [];
    if (behavior === 'merged_with_next') {
      let previousMatch = false;
      for (let k = matches.length - 1; k >= 0; k--) {
        const m = matches[k];
        const last = spans[spans.length - 1];
        if (m.isMatch && !previousMatch && last !== undefined) last[0] = m.start;
        else spans.push([m.start, m.end]);
        previousMatch = m.isMatch;
      }
      spans.reverse();
    } else {
      let previousMatch = false;
      for (const m of matches) {
        const last = spans[spans.length - 1];
        const merge = behavior === 'contiguous' ? m.isMatch === previousMatch : m.isMatch && !previousMatch;
        if (merge && last !== undefined) last[1] = m.end;
        else spans.push([m.start, m.end]);
        previousMatch = m.isMatch;
      }
    }
    return spans.map(([s, e]) => this.slice(s, e));
  }
}

/** Unit `i` is the high half of a surrogate pair. */
function isPairHigh(text: string, i: number): boolean {
  const u = text.charCodeAt(i);
  if (u < 0xd800 || u > 0xdbff) return false;
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}

/** Unit `i` is the low half of a surrogate pair. */
function isPairLow(text: string, i: number): boolean {
  return i > 0 && isPairHigh(text, i - 1);
}

function forEachCodePoint(text: string, fn: (cp: number) => void): void {
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    fn(cp);
    i += cp > 0xffff ? 2 : 1;
  }
}

function isOneCodePoint(text: string, start: number, end: number): boolean {
  return end - start === 1 || (end - start === 2 && isPairHigh(text, start));
}

function countCodePoints(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const u = text.charCodeAt(i);
    if (!(u >= 0xdc00 && u <= 0xdfff && i > start)) n++;
  }
  return n;
}

/** Where the character that ends at `end` starts. */
function charStartBefore(text: string, end: number): number {
  return isPairLow(text, end - 1) ? end - 2 : end - 1;
}

function codePointsToString(cps: readonly number[]): string {
  const CHUNK = 4096;
  if (cps.length <= CHUNK) return String.fromCodePoint(...cps);
  let out = '';
  for (let i = 0; i < cps.length; i += CHUNK) out += String.fromCodePoint(...cps.slice(i, i + CHUNK));
  return out;
}
