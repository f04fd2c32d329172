/**
 * GPT-2's byte ↔ character table (Rust `tokenizers`' `bytes_char`): printable Latin-1 bytes
 * stand for themselves, the other 68 bytes are mapped in order to U+0100 and up, so every byte
 * sequence becomes visible text a BPE vocabulary can hold. Shared by the ByteLevel
 * normalizer / pre-tokenizer (bytes → chars) and the ByteLevel decoder (chars → bytes).
 */

/** `BYTE_TO_CODE_POINT[b]` is the code point standing for byte `b`. */
export const BYTE_TO_CODE_POINT: Uint16Array = (() => {
  const table = new Uint16Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = printable ? b : next++;
  }
  return table;
})();

/** `BYTE_TO_CHAR[b]`: the same table as one-character strings. */
export const BYTE_TO_CHAR: readonly string[] = Array.from(BYTE_TO_CODE_POINT, (cp) => String.fromCharCode(cp));

/** The inverse table: character → byte, for the 256 characters of the alphabet. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((ch, b) => [ch, b]));
