/**
 * ByteFallback: runs of `<0xAB>` tokens become the bytes they spell, read as UTF-8. Unlike the
 * ByteLevel decoder, a run that is not valid UTF-8 as a whole becomes one U+FFFD per byte (Rust).
 */
import type { Decoder } from '../types.js';

const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Rust's check: six bytes, `<0x` + two characters `u8::from_str_radix(_, 16)` accepts (which allows a leading '+') + `>`. */
const BYTE_TOKEN = /^<0x(\+[0-9A-Fa-f]|[0-9A-Fa-f]{2})>$/;

function byteOf(token: string): number | null {
  const match = BYTE_TOKEN.exec(token);
  return match ? parseInt(match[1], 16) : null;
}

function decodeRun(bytes: number[]): string[] {
  try {
    return [strictUtf8Decoder.decode(new Uint8Array(bytes))];
  } catch {
    return bytes.map(() => '\uFFFD');
  }
}

export class ByteFallbackDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    let run: number[] = [];
    for (const token of tokens) {
      const byte = byteOf(token);
      if (byte !== null) {
        run.push(byte);
        continue;
      }
      if (run.length > 0) out.push(...decodeRun(run));
      run = [];
      out.push(token);
    }
    if (run.length > 0) out.push(...decodeRun(run));
    return out;
  }
}
