/**
 * Precompiled: SentencePiece's `precompiled_charsmap`, read the way Rust's `spm_precompiled` does.
 * The blob is `u32 trie size`, a Darts double-array trie over UTF-8 bytes whose values point into
 * a block of NUL-terminated replacement strings. Rust walks the text grapheme by grapheme: a
 * grapheme shorter than 6 UTF-8 bytes is first looked up whole (and the first, i.e. shortest,
 * prefix found in the trie replaces the whole grapheme, a SentencePiece quirk kept on purpose),
 * otherwise each character is looked up on its own.
 */
import { CharEdits, utf8Length } from '../char-edits.js';
import type { NormalizedString } from '../normalized-string.js';
import { TokenizerConfigError, type Normalizer } from '../types.js';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Darts-clone double array, as sentencepiece stores it (one u32 unit per node). */
class DoubleArray {
  constructor(private readonly units: Uint32Array) {}

  /** Value of the shortest key that is a prefix of `key`, or -1. */
  firstPrefixValue(key: Uint8Array): number {
    const units = this.units;
    let nodePos = offsetOf(units[0]);
    for (let i = 0; i < key.length; i++) {
      const c = key[i];
      if (c === 0) break;
      nodePos ^= c;
      const unit = units[nodePos];
      if (unit === undefined || labelOf(unit) !== c) return -1;
      nodePos ^= offsetOf(unit);
      if (hasLeaf(unit)) return units[nodePos] & 0x7fffffff;
    }
    return -1;
  }
}

function hasLeaf(unit: number): boolean {
  return ((unit >>> 8) & 1) === 1;
}

function labelOf(unit: number): number {
  return (unit & 0x800000ff) >>> 0;
}

function offsetOf(unit: number): number {
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}

export class PrecompiledNormalizer implements Normalizer {
  private readonly trie: DoubleArray;
  private readonly replacements: Uint8Array;
  private readonly cache = new Map<string, string | null>();
  private readonly graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
  /** `transform` of each ASCII character, looked up once: most text is ASCII. */
  private readonly asciiReplacements: (string | null)[];

  constructor(charsmapBase64: string) {
    const blob = base64ToBytes(charsmapBase64);
    if (blob.length < 4) throw new TokenizerConfigError('normalizer Precompiled', 'precompiled_charsmap is too short');
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieBytes = view.getUint32(0, true);
    if (4 + trieBytes > blob.length) throw new TokenizerConfigError('normalizer Precompiled', 'precompiled_charsmap trie size exceeds the data');
    const units = new Uint32Array(trieBytes / 4);
    for (let i = 0; i < units.length; i++) units[i] = view.getUint32(4 + i * 4, true);
    this.trie = new DoubleArray(units);
    this.replacements = blob.subarray(4 + trieBytes);
    this.asciiReplacements = Array.from({ length: 0x80 }, (_, unit) => this.transform(String.fromCharCode(unit)));
  }

  /** The replacement for `chunk`, or null when the trie has no prefix of it. */
  transform(chunk: string): string | null {
    const cached = this.cache.get(chunk);
    if (cached !== undefined) return cached;
    const index = this.trie.firstPrefixValue(utf8.encode(chunk));
    let result: string | null = null;
    if (index >= 0) {
      let end = index;
      while (end < this.replacements.length && this.replacements[end] !== 0) end++;
      result = utf8Decoder.decode(this.replacements.subarray(index, end));
    }
    this.cache.set(chunk, result);
    return result;
  }

  normalize(s: NormalizedString): void {
    const text = s.normalized;
    if (this.leavesAsIs(text)) return;
    const edits = new CharEdits();
    let modified = false;
    for (let i = 0; i < text.length; ) {
      // An ASCII character between two other plain ASCII characters is a grapheme of its own, so
      // the (slow) segmenter only runs over the stretches where clusters can form.
      if (isLoneAsciiGrapheme(text, i)) {
        const unit = text.charCodeAt(i);
        const norm = this.asciiReplacements[unit];
        if (norm === null) {
          edits.push(unit, 0);
        } else {
          pushReplacement(edits, text[i], norm);
          modified = true;
        }
        i++;
        continue;
      }
      let j = i + 1;
      while (j < text.length && !isLoneAsciiGrapheme(text, j)) j++;
      for (const { segment } of this.graphemes.segment(text.slice(i, j))) {
        modified = this.pushGrapheme(segment, edits) || modified;
      }
      i = j;
    }
    if (modified) s.transform(edits);
  }

  /** Plain ASCII that the map does not replace: every character is a grapheme of its own and stays. */
  private leavesAsIs(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (!isPlainAscii(unit) || this.asciiReplacements[unit] !== null) return false;
    }
    return true;
  }

  /** Rust's per-grapheme rule; true when something was replaced. */
  private pushGrapheme(grapheme: string, edits: CharEdits): boolean {
    if (utf8Bytes(grapheme) < 6) {
      const norm = this.transform(grapheme);
      if (norm !== null) {
        pushReplacement(edits, grapheme, norm);
        return true;
      }
    }
    let modified = false;
    for (let i = 0; i < grapheme.length; ) {
      const cp = grapheme.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      modified = this.pushChar(ch, cp, edits) || modified;
      i += ch.length;
    }
    return modified;
  }

  private pushChar(ch: string, cp: number, edits: CharEdits): boolean {
    const norm = this.transform(ch);
    if (norm === null) {
      edits.push(cp, 0);
      return false;
    }
    pushReplacement(edits, ch, norm);
    return true;
  }
}

function isPlainAscii(unit: number): boolean {
  return unit < 0x80 && unit !== 0x0d;
}

function isLoneAsciiGrapheme(text: string, i: number): boolean {
  return (
    isPlainAscii(text.charCodeAt(i)) &&
    (i === 0 || isPlainAscii(text.charCodeAt(i - 1))) &&
    (i + 1 === text.length || isPlainAscii(text.charCodeAt(i + 1)))
  );
}

function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    n += utf8Length(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return n;
}

/**
 * Rust's `replace` helper: the new characters replace one for one; when there are more, the
 * trailing extra ones count as inserted; when fewer, the last edit so far absorbs the difference
 * (even if that edit belongs to an earlier character, as Rust does).
 */
function pushReplacement(edits: CharEdits, oldPart: string, newPart: string): void {
  const oldCount = [...oldPart].length;
  const before = edits.length;
  edits.pushString(newPart, 0);
  const newCount = edits.length - before;
  for (let k = before; k < edits.length; k++) edits.changes[k] = 0;
  const diff = newCount - oldCount;
  if (diff > 0) {
    for (let k = edits.length - diff; k < edits.length; k++) edits.changes[k] = 1;
  } else if (diff < 0 && edits.length > 0) {
    edits.changes[edits.length - 1] += diff;
  }
}
