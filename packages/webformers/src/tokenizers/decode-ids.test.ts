import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizerGoldens, manifest, type TokenizerGoldens } from '../../test/support/tokenizer-goldens-node.js';
import { decodeIds, type AddedTokenContent } from './decode-ids.js';
import { decoderFromConfig } from './decoders/index.js';
import { modelFromConfig } from './models/index.js';
import type { AddedTokenConfig, Decoder, Json, TokenizerModel } from './types.js';

const entries = await manifest();

describe.each(entries.map((e) => [e.name, e] as const))('decodeIds matches Rust Tokenizer.decode for %s', (_name, entry) => {
  let goldens: TokenizerGoldens;
  let model: TokenizerModel;
  let decoder: Decoder | null;
  let addedTokens: Map<number, AddedTokenContent>;

  beforeAll(async () => {
    goldens = await loadTokenizerGoldens(entry);
    model = modelFromConfig(goldens.tokenizerJson.model as Json);
    decoder = decoderFromConfig(goldens.tokenizerJson.decoder);
    addedTokens = new Map((goldens.tokenizerJson.added_tokens as AddedTokenConfig[]).map((t) => [t.id, { content: t.content, special: t.special }]));
  });

  it.each([
    ['keep', false],
    ['skip', true],
  ] as const)('decode.%s of every corpus line', (field, skipSpecialTokens) => {
    const failures = goldens.records
      .map((r) => ({ id: r.id, expected: r.decode[field], actual: decodeIds(r.sp.ids, { model, addedTokens, decoder, skipSpecialTokens }) }))
      .filter((f) => f.actual !== f.expected);
    expect(goldens.records.length).toBe(332);
    expect(failures.slice(0, 3)).toEqual([]);
    expect(failures.length).toBe(0);
  });
});
