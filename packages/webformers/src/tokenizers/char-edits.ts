/**
 * A list of `(code point, change)` edits, the currency of Rust's `NormalizedString::transform`:
 * change 0 replaces the next source character, a positive change inserts a character (it borrows
 * the alignment of the character before it), and a negative change `-n` replaces the next source
 * character and then drops `n` more. Kept as two growable number arrays so that normalizing a long
 * text allocates no object per character.
 */
export class CharEdits {
  readonly codePoints: number[] = [];
  readonly changes: number[] = [];

  get length(): number {
    return this.codePoints.length;
  }

  push(codePoint: number, change: number): void {
    this.codePoints.push(codePoint);
    this.changes.push(change);
  }

  /** Edits [from, to) as a list of their own. */
  slice(from: number, to: number): CharEdits {
    const out = new CharEdits();
    for (let k = from; k < to; k++) out.push(this.codePoints[k], this.changes[k]);
    return out;
  }

  /** Every character of `text`: the first with `firstChange`, the rest inserted (change 1). */
  pushString(text: string, firstChange: number): void {
    let first = true;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      this.push(cp, first ? firstChange : 1);
      first = false;
      i += cp > 0xffff ? 2 : 1;
    }
  }
}

/** UTF-16 length of one code point. */
export function unitLength(codePoint: number): number {
  return codePoint > 0xffff ? 2 : 1;
}

/** UTF-8 length of one code point (Rust's `char::len_utf8`). */
export function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}
