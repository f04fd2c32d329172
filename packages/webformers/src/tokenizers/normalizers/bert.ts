/**
 * BertNormalizer, as Rust `tokenizers` runs it: clean_text (drop NUL, U+FFFD and every C* character
 * except tab/newline/CR, then turn whitespace into a space), handle_chinese_chars (surround CJK
 * ideographs with spaces), strip_accents (NFD then drop Mn; `null` follows `lowercase`), lowercase.
 */
import type { NormalizedString } from '../normalized-string.js';
import type { Normalizer } from '../types.js';
import { combiningClass, isMarkNonspacing, isOther, isWhitespace } from '../unicode-props.js';

export interface BertNormalizerOptions {
  cleanText: boolean;
  handleChineseChars: boolean;
  /** null: strip accents exactly when lowercasing (the original BERT behaviour). */
  stripAccents: boolean | null;
  lowercase: boolean;
}

/**
 * Some character clean_text drops (NUL and U+FFFD are Cc / in the list; tab, newline and CR are kept):
 * without one, the per-character filter is skipped.
 */
const CLEANED = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Cs}\p{Co}\ufffd]/u;
const NONSPACING_MARK = /\p{Mn}/u;
const NON_ASCII = /[^\0-\x7f]/;
/** `replacementOf` marks a character whose NFD could be reordered with its neighbours' marks. */
const REORDERS = null;

/** BERT counts tab, newline and CR as whitespace, not as control characters. */
function isBertControl(cp: number): boolean {
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return false;
  return isOther(cp);
}

/** The CJK Unified Ideograph blocks the original BERT code lists (not Hangul, kana or other CJK). */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Code point → replacement, read twice per character: BMP ones are an array index, not a hash lookup. */
class ReplacementTable {
  private readonly bmp: (string | typeof REORDERS | undefined)[] = new Array(0x10000).fill(undefined);
  private readonly astral = new Map<number, string | typeof REORDERS>();

  get(cp: number): string | typeof REORDERS | undefined {
    return cp < 0x10000 ? this.bmp[cp] : this.astral.get(cp);
  }

  set(cp: number, replacement: string | typeof REORDERS): void {
    if (cp < 0x10000) this.bmp[cp] = replacement;
    else this.astral.set(cp, replacement);
  }
}

/**
 * Each character's replacement (see `replacementOf`) per combination of options, filled as characters are
 * met. It depends on nothing but the options and Unicode's tables, so every tokenizer with the same
 * options shares one (a new tokenizer does not recompute NFD and lowercase for every character again).
 */
const REPLACEMENTS_BY_OPTIONS = new Map<string, ReplacementTable>();

function replacementsFor(options: BertNormalizerOptions): ReplacementTable {
  const key = [options.cleanText, options.handleChineseChars, options.stripAccents, options.lowercase].join();
  let replacements = REPLACEMENTS_BY_OPTIONS.get(key);
  if (replacements === undefined) {
    replacements = new ReplacementTable();
    REPLACEMENTS_BY_OPTIONS.set(key, replacements);
  }
  return replacements;
}

export class BertNormalizer implements Normalizer {
  private readonly replacements: ReplacementTable;

  constructor(private readonly options: BertNormalizerOptions) {
    this.replacements = replacementsFor(options);
  }

  normalize(s: NormalizedString): void {
    // Every step below changes characters one at a time, except canonical reordering inside NFD, and each
    // unit it writes keeps the alignment of the character it came from. So unless a reordering could
    // change the result, the whole chain is one per-character replacement. ASCII keeps the step-by-step
    // path, whose checks skip every step but lowercasing.
    if (NON_ASCII.test(s.normalized) && this.replacesCharByChar(s.normalized)) {
      s.replaceEachChar((cp) => this.replacements.get(cp) as string);
      return;
    }
    this.normalizeStepByStep(s);
  }

  private replacesCharByChar(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      let replacement = this.replacements.get(cp);
      if (replacement === undefined) {
        replacement = this.replacementOf(cp);
        this.replacements.set(cp, replacement);
      }
      if (replacement === REORDERS) return false;
    }
    return true;
  }

  /** What the step-by-step path turns `cp` into on its own. */
  private replacementOf(cp: number): string | typeof REORDERS {
    const { cleanText, handleChineseChars, stripAccents, lowercase } = this.options;
    if (cleanText) {
      if (cp === 0 || cp === 0xfffd || isBertControl(cp)) return '';
      if (isWhitespace(cp)) cp = 0x20;
    }
    let chars = [cp];
    if (stripAccents ?? lowercase) {
      chars = [...String.fromCodePoint(cp).normalize('NFD')].map((c) => c.codePointAt(0)!);
      // Marks that survive stripping could be reordered against the next character's marks.
      if (chars.some((c) => combiningClass(c) !== 0 && !isMarkNonspacing(c))) return REORDERS;
      chars = chars.filter((c) => !isMarkNonspacing(c));
    }
    let out = chars.map((c) => (lowercase ? String.fromCodePoint(c).toLowerCase() : String.fromCodePoint(c))).join('');
    if (handleChineseChars && isChineseChar(cp)) out = ` ${out} `;
    return out;
  }

  private normalizeStepByStep(s: NormalizedString): void {
    const { cleanText, handleChineseChars, stripAccents, lowercase } = this.options;
    if (cleanText) {
      if (CLEANED.test(s.normalized)) s.filter((cp) => !(cp === 0 || cp === 0xfffd || isBertControl(cp)));
      // JS's \s and Rust's White_Space differ only in U+FEFF (JS only) and U+0085 (Rust only); all are BMP.
      if (/[^\S ]/u.test(s.normalized)) s.replaceUnitForUnit(s.normalized.replace(/[^\S ]|\x85/gu, (c) => (isWhitespace(c.charCodeAt(0)) ? ' ' : c)));
    }
    if (handleChineseChars && /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ceaf}\u{2f800}-\u{2fa1f}]/u.test(s.normalized)) {
      s.expandChars((cp, edits) => {
        if (isChineseChar(cp)) {
          edits.push(0x20, 0);
          edits.push(cp, 1);
          edits.push(0x20, 1);
        } else {
          edits.push(cp, 0);
        }
      });
    }
    if (stripAccents ?? lowercase) {
      s.normalizeUnicode('NFD');
      if (NONSPACING_MARK.test(s.normalized)) s.filter((cp) => !isMarkNonspacing(cp));
    }
    if (lowercase) s.lowercase();
  }
}
