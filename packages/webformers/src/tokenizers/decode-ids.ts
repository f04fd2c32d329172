/**
 * ids → text, as Rust's `Tokenizer::decode`: each id becomes its added-token content (added tokens
 * win over the model's vocabulary) or the model's token; unknown ids are dropped; with
 * `skipSpecialTokens`, any token whose text is the content of a special added token is dropped (Rust
 * compares text, so a model token spelled like a special token goes too). The decoder then sees all
 * remaining tokens at once, added ones included; without a decoder the tokens are joined by spaces.
 */
import type { Decoder, TokenizerModel } from './types.js';

export interface AddedTokenContent {
  content: string;
  special: boolean;
}

export interface DecodeIdsOptions {
  model: Pick<TokenizerModel, 'idToToken'>;
  /** Added tokens by id. */
  addedTokens: ReadonlyMap<number, AddedTokenContent>;
  decoder: Decoder | null;
  skipSpecialTokens: boolean;
}

export function decodeIds(ids: readonly number[], { model, addedTokens, decoder, skipSpecialTokens }: DecodeIdsOptions): string {
  let specialContents: Set<string> | null = null;
  if (skipSpecialTokens) {
    specialContents = new Set();
    for (const token of addedTokens.values()) if (token.special) specialContents.add(token.content);
  }
  const tokens: string[] = [];
  for (const id of ids) {
    const token = addedTokens.get(id)?.content ?? model.idToToken(id);
    if (token === undefined || specialContents?.has(token)) continue;
    tokens.push(token);
  }
  return decoder === null ? tokens.join(' ') : decoder.decodeChain(tokens).join('');
}
