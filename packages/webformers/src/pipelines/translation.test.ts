import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_FIXTURES, readFixtureJSON, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { env } from '../env.js';
import type { Tensor } from '../utils/tensor.js';
import { PipelineInputError } from './errors.js';
import { pipeline } from './pipeline.js';
import type { TranslationPipeline } from './translation.js';

/**
 * An mbart-style repository made from the bart fixture: two vocabulary entries become the language
 * codes `en_XX` / `fr_XX`, and the template appends the source code after `</s>`, as mbart's does.
 */
function writeMultilingualFixture(root: string): { en: number; fr: number } {
  const dir = join(root, 'tiny-mbart-langs');
  cpSync(join(MODEL_FIXTURES, 'tiny-random-bart'), dir, { recursive: true });
  const en = 50258;
  const fr = 50259;
  const tokenizer = readFixtureJSON('tiny-random-bart', 'tokenizer.json');
  const vocab = tokenizer.model.vocab as Record<string, number>;
  const replaced = Object.keys(vocab).filter((token) => vocab[token] === en || vocab[token] === fr);
  for (const token of replaced) delete vocab[token];
  Object.assign(vocab, { en_XX: en, fr_XX: fr });
  const merged = (merge: string | string[]) => (typeof merge === 'string' ? merge.split(' ') : merge).join('');
  tokenizer.model.merges = tokenizer.model.merges.filter((m: string | string[]) => !replaced.includes(merged(m)));
  const added = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  tokenizer.added_tokens.push(added('en_XX', en), added('fr_XX', fr));
  const special = (token: string, id: number) => ({ id: token, ids: [id], tokens: [token] });
  tokenizer.post_processor = {
    type: 'TemplateProcessing',
    single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { SpecialToken: { id: 'en_XX', type_id: 0 } }],
    pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { SpecialToken: { id: 'en_XX', type_id: 0 } }],
    special_tokens: { '</s>': special('</s>', 2), en_XX: special('en_XX', en) },
  };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  const config = readFixtureJSON('tiny-random-bart', 'tokenizer_config.json');
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...config, additional_special_tokens: ['en_XX', 'fr_XX'] }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...readFixtureJSON('tiny-random-bart', 'config.json'), model_type: 'mbart' }));
  return { en, fr };
}

describe('translation with language codes (mbart-style tokenizer)', () => {
  let scratch: string;
  let codes: { en: number; fr: number };
  let translator: TranslationPipeline;
  beforeAll(async () => {
    await useLocalFixtureModels();
    scratch = mkdtempSync(join(tmpdir(), 'webformers-translation-'));
    codes = writeMultilingualFixture(scratch);
    env.localModelPath = `${scratch}/`;
    translator = await pipeline('translation', 'tiny-mbart-langs');
  });
  afterAll(async () => {
    await translator?.dispose();
    env.localModelPath = MODEL_FIXTURES;
    rmSync(scratch, { recursive: true, force: true });
  });

  it('puts the src_lang code where the template writes one, and starts generation with the tgt_lang code', async () => {
    const text = 'Hello world';
    const plain = (translator.tokenizer(text, { return_tensor: false }).input_ids as number[]);
    expect(plain.at(-1)).toBe(codes.en);
    const asFrench = [...plain.slice(0, -1), codes.fr];
    const reference = (await translator.model.generate({ input_ids: [asFrench], forced_bos_token_id: codes.en, max_new_tokens: 5 })) as Tensor;
    const ids = (reference.tolist() as bigint[][])[0].map(Number);
    expect(ids[1]).toBe(codes.en);
    const [out] = await translator(text, { src_lang: 'fr_XX', tgt_lang: 'en_XX', max_new_tokens: 5 });
    expect(out).toEqual({ translation_text: translator.tokenizer.decode(ids, { skip_special_tokens: true }) });
  });

  it('names the codes it knows when a language is not one of them', async () => {
    const error = await translator('Hello world', { tgt_lang: 'de_DE' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineInputError);
    expect((error as Error).message).toMatch(/no language code for "de_DE".*en_XX, fr_XX/);
  });
});
