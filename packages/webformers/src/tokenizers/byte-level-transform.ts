/**
 * Rewrite a piece's text as GPT-2 byte characters: each character becomes one alphabet character
 * per UTF-8 byte, the first replacing it and the others inserted, so every byte keeps the
 * alignment of the character it came from (what Rust's ByteLevel normalizer and pre-tokenizer do).
 */
import { BYTE_TO_CODE_POINT } from './byte-level-alphabet.js';
import { CharEdits } from './char-edits.js';
import type { NormalizedString } from './normalized-string.js';

export function toByteLevelChars(s: NormalizedString): void {
  if (s.isEmpty()) return;
  if (/^[\0-\x7f]*$/.test(s.normalized)) {
    s.map((cp) => BYTE_TO_CODE_POINT[cp]);
    return;
  }
  s.expandChars((cp: number, edits: CharEdits) => {
    if (cp < 0x80) {
      edits.push(BYTE_TO_CODE_POINT[cp], 0);
    } else if (cp < 0x800) {
      edits.push(BYTE_TO_CODE_POINT[0xc0 | (cp >> 6)], 0);
      edits.push(BYTE_TO_CODE_POINT[0x80 | (cp & 0x3f)], 1);
    } else if (cp < 0x10000) {
      edits.push(BYTE_TO_CODE_POINT[0xe0 | (cp >> 12)], 0);
      edits.push(BYTE_TO_CODE_POINT[0x80 | ((cp >> 6) & 0x3f)], 1);
      edits.push(BYTE_TO_CODE_POINT[0x80 | (cp & 0x3f)], 1);
    } else {
      edits.push(BYTE_TO_CODE_POINT[0xf0 | (cp >> 18)], 0);
      edits.push(BYTE_TO_CODE_POINT[0x80 | ((cp >> 12) & 0x3f)], 1);
      edits.push(BYTE_TO_CODE_POINT[0x80 | ((cp >> 6) & 0x3f)], 1);
      edits.push(BYTE_TO_CODE_POINT[0x80 | (cp & 0x3f)], 1);
    }
  });
}
