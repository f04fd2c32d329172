/**
 * SentencePiece-style byte fallback: a character missing from the vocabulary is spelled as its UTF-8
 * bytes, each written `<0xAB>` (two upper-case hex digits), as Rust's BPE and Unigram models do.
 */
const utf8 = new TextEncoder();

const BYTE_TOKENS: readonly string[] = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);

/** The `<0x..>` tokens for `text`'s UTF-8 bytes. */
export function byteTokensOf(text: string): string[] {
  return Array.from(utf8.encode(text), (b) => BYTE_TOKENS[b]);
}

/** Ids of `text`'s byte tokens, or null when any of them is missing from the vocabulary (then Rust falls back to unk). */
export function byteTokenIds(text: string, vocab: ReadonlyMap<string, number>): number[] | null {
  const ids: number[] = [];
  for (const token of byteTokensOf(text)) {
    const id = vocab.get(token);
    if (id === undefined) return null;
    ids.push(id);
  }
  return ids;
}
