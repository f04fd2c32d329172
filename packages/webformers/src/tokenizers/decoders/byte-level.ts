/**
 * ByteLevel: maps GPT-2's byte characters back to bytes and reads them as UTF-8, all tokens at once
 * (a character may span tokens). A token with any character outside the table (an added token such as
 * `<|endoftext|>` written in plain text) contributes its own UTF-8 bytes unchanged, as Rust does.
 * Invalid UTF-8 becomes U+FFFD per maximal invalid subsequence, like Rust's `String::from_utf8_lossy`
 * (TextDecoder follows the same WHATWG/Unicode substitution rule).
 */
import { CHAR_TO_BYTE } from '../byte-level-alphabet.js';
import type { Decoder } from '../types.js';

const utf8Encoder = new TextEncoder();
const lossyUtf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function tokenBytes(token: string, out: number[]): void {
  const start = out.length;
  for (const char of token) {
    const byte = CHAR_TO_BYTE.get(char);
    if (byte === undefined) {
      out.length = start;
      for (const b of utf8Encoder.encode(token)) out.push(b);
      return;
    }
    out.push(byte);
  }
}

export class ByteLevelDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    const bytes: number[] = [];
    for (const token of tokens) tokenBytes(token, bytes);
    return [lossyUtf8Decoder.decode(new Uint8Array(bytes))];
  }
}
