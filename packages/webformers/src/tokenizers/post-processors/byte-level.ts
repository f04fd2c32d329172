/**
 * ByteLevel post-processor: adds nothing; with `trim_offsets` it narrows each token's offsets so they
 * do not cover the spaces the token starts or ends with (Rust `process_offsets`).
 */
import { withSequenceId } from '../encoding.js';
import type { EncodingData, Offsets } from '../types.js';
import { isWhitespace } from '../unicode-props.js';
import { EncodingsProcessor } from './encodings-processor.js';

/** How byte-level BPE spells the space byte (0x20 shifted into the printable range). */
const BYTE_LEVEL_SPACE = 0x120;

/**
 * Rust counts the space-like characters at each end of the token. All of them are in the BMP, so counting
 * UTF-16 units counts characters (a surrogate is never space-like and stops the count).
 */
function isSpaceLikeUnit(unit: number): boolean {
  return unit === BYTE_LEVEL_SPACE || isWhitespace(unit);
}

function trimTokenOffsets(token: string, offsets: Offsets, isFirst: boolean, addPrefixSpace: boolean): Offsets {
  let leading = 0;
  while (leading < token.length && isSpaceLikeUnit(token.charCodeAt(leading))) leading++;
  let trailing = 0;
  while (trailing < token.length && isSpaceLikeUnit(token.charCodeAt(token.length - 1 - trailing))) trailing++;
  if (leading === 0 && trailing === 0) return offsets;
  let [start, end] = offsets;
  if (leading > 0) {
    // Rust keeps the single space that add_prefix_space inserted before the first word: it maps onto
    // no original character, so there is nothing to trim. Two or more spaces were really typed.
    if (isFirst && addPrefixSpace && leading === 1) leading = 0;
    start = Math.min(start + leading, end);
  }
  if (trailing > 0 && end >= trailing) end = Math.max(end - trailing, start);
  return [start, end];
}

/** Trim the offsets of `e` and of its overflowing windows (one level, as Rust does). */
export function trimByteLevelOffsets(e: EncodingData, addPrefixSpace: boolean): EncodingData {
  const trimOne = (enc: EncodingData): Offsets[] =>
    enc.offsets.map((o, i) => trimTokenOffsets(enc.tokens[i], o, i === 0 || o[0] === 0, addPrefixSpace));
  return {
    ...e,
    offsets: trimOne(e),
    overflowing: e.overflowing.map((o) => ({ ...o, offsets: trimOne(o) })),
  };
}

export class ByteLevelProcessor extends EncodingsProcessor {
  constructor(
    private readonly trimOffsets: boolean,
    private readonly addPrefixSpace: boolean,
  ) {
    super();
  }

  addedTokens(): number {
    return 0;
  }

  processEncodings(encodings: EncodingData[]): EncodingData[] {
    const trimmed = this.trimOffsets ? encodings.map((e) => trimByteLevelOffsets(e, this.addPrefixSpace)) : encodings;
    return trimmed.map((e, i) => withSequenceId(e, i));
  }
}
