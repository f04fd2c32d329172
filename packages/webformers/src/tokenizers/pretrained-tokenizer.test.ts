/**
 * The Python-API layer against Python transformers goldens (test/fixtures/models/<model>/goldens/tokenizer.json):
 * call results (input_ids, attention_mask, token_type_ids when the model uses them), tokens, decode with
 * and without special tokens (Python's default cleanup), batch padding left/right, truncation.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../utils/tensor.js';
import type { TokenizerCallOptions } from './call-options.js';
import { PreTrainedTokenizer } from './pretrained-tokenizer.js';

const models = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'models');
const readJson = (...parts: string[]): any => JSON.parse(readFileSync(join(models, ...parts), 'utf8'));

interface GoldenCase {
  name: string;
  text: string;
  text_pair?: string;
  kwargs: TokenizerCallOptions;
  input_ids: number[];
  attention_mask: number[];
  token_type_ids?: number[];
  tokens: string[];
  decoded: string;
  decoded_skip_special_tokens: string;
}

interface GoldenBatchCase {
  name: string;
  texts: string[];
  kwargs: TokenizerCallOptions;
  input_ids: number[][];
  attention_mask: number[][];
}

/**
 * Decodes (keeping special tokens) where Python's slow tokenizer is not the reference: slow T5 puts a
 * space after `<unk>` that the fast (Rust) tokenizer, which we match, does not (fixtures README, "Verification
 * done"). Rust's behaviour there is checked by the conformance suite's T5 goldens instead.
 */
const SLOW_ONLY_DECODE: Record<string, string[]> = { 'tiny-random-t5': ['accents'] };

const MODELS = [
  'tiny-random-bert-feature-extraction',
  'tiny-random-gpt2',
  'tiny-random-llama-qwen3tok',
  'tiny-random-bart',
  'tiny-random-t5',
];

function load(model: string): PreTrainedTokenizer {
  return PreTrainedTokenizer.fromJSON(readJson(model, 'tokenizer.json'), readJson(model, 'tokenizer_config.json'));
}

const asNumbers = (t: unknown): number[][] => ((t as Tensor).tolist() as bigint[][]).map((row) => row.map(Number));

for (const model of MODELS) {
  const golden = readJson(model, 'goldens', 'tokenizer.json') as { cases: GoldenCase[]; batch_cases: GoldenBatchCase[] };
  describe(`PreTrainedTokenizer on ${model} (Python goldens)`, () => {
    const tokenizer = load(model);

    for (const c of golden.cases) {
      it(`${c.name}: ids, masks and tokens match Python`, () => {
        const out = tokenizer(c.text, { ...c.kwargs, text_pair: c.text_pair, return_tensor: false });
        expect(out.input_ids).toEqual(c.input_ids);
        expect(out.attention_mask).toEqual(c.attention_mask);
        expect(out.token_type_ids).toEqual(c.token_type_ids);
        expect(tokenizer.convert_ids_to_tokens(c.input_ids)).toEqual(c.tokens);
        expect(tokenizer.encode(c.text, { ...c.kwargs, text_pair: c.text_pair })).toEqual(c.input_ids);
      });
      it(`${c.name}: decode without special tokens matches Python`, () => {
        expect(tokenizer.decode(c.input_ids, { skip_special_tokens: true })).toBe(c.decoded_skip_special_tokens);
      });
      if (!SLOW_ONLY_DECODE[model]?.includes(c.name)) {
        it(`${c.name}: decode with special tokens matches Python`, () => {
          expect(tokenizer.decode(c.input_ids)).toBe(c.decoded);
        });
      }
    }

    for (const b of golden.batch_cases) {
      it(`${b.name}: batch tensors match Python`, () => {
        const out = tokenizer(b.texts, b.kwargs);
        expect(out.input_ids).toBeInstanceOf(Tensor);
        expect((out.input_ids as Tensor).type).toBe('int64');
        expect(asNumbers(out.input_ids)).toEqual(b.input_ids);
        expect(asNumbers(out.attention_mask)).toEqual(b.attention_mask);
      });
    }
  });
}

describe('apply_chat_template (Qwen3 template, Python golden)', () => {
  const tokenizer = load('tiny-random-llama-qwen3tok');
  const cases = readJson('tiny-random-llama-qwen3tok', 'goldens', 'pipeline.json').chat_template as {
    messages: { role: string; content: string }[];
    add_generation_prompt: boolean;
    text: string;
    input_ids: number[];
  }[];
  for (const [i, c] of cases.entries()) {
    it(`case ${i}: renders the same text and ids`, () => {
      expect(tokenizer.apply_chat_template(c.messages, { add_generation_prompt: c.add_generation_prompt, tokenize: false })).toBe(c.text);
      expect(tokenizer.apply_chat_template(c.messages, { add_generation_prompt: c.add_generation_prompt, return_tensor: false })).toEqual(c.input_ids);
      const tensor = tokenizer.apply_chat_template(c.messages, { add_generation_prompt: c.add_generation_prompt }) as Tensor;
      expect(asNumbers(tensor)).toEqual([c.input_ids]);
    });
  }
});

/** Python string indices (code points) → UTF-16 indices of the same text. */
function utf16Offsets(offsets: [number, number][], sequenceIds: (number | null)[], texts: [string, string]): [number, number][] {
  const maps = texts.map((t) => {
    const m = [0];
    for (const ch of t) m.push(m[m.length - 1] + ch.length);
    return m;
  });
  return offsets.map(([s, e], i) => {
    const seq = sequenceIds[i];
    return seq === null ? [s, e] : [maps[seq][s], maps[seq][e]];
  });
}

describe('fast-tokenizer outputs (Rust tokenizers through Python, pipeline-fast.json)', () => {
  for (const model of ['tiny-random-bert-token-classification', 'tiny-random-bert-question-answering']) {
    const tokenizer = load(model);
    const encodings = readJson(model, 'goldens', 'pipeline-fast.json').fast_encodings as any[];
    for (const [i, g] of encodings.entries()) {
      it(`${model} #${i} (${JSON.stringify(g.kwargs)}): ids, masks, offsets, word and sequence ids, overflow rows`, () => {
        const out = tokenizer(g.text, {
          ...g.kwargs,
          text_pair: g.text_pair,
          return_tensor: false,
          return_offsets_mapping: true,
          return_special_tokens_mask: true,
          return_word_ids: true,
          return_sequence_ids: true,
        });
        expect(out.input_ids).toEqual(g.input_ids);
        expect(out.token_type_ids).toEqual(g.token_type_ids);
        expect(out.attention_mask).toEqual(g.attention_mask);
        expect(out.special_tokens_mask).toEqual(g.special_tokens_mask);
        expect(out.word_ids).toEqual(g.word_ids);
        expect(out.sequence_ids).toEqual(g.sequence_ids);
        expect(out.overflow_to_sample_mapping).toEqual(g.overflow_to_sample_mapping);
        const texts: [string, string] = [g.text, g.text_pair ?? ''];
        const expected = g.overflow_to_sample_mapping
          ? g.offset_mapping.map((row: [number, number][], r: number) => utf16Offsets(row, g.sequence_ids[r], texts))
          : utf16Offsets(g.offset_mapping, g.sequence_ids, texts);
        expect(out.offset_mapping).toEqual(expected);
      });
    }
  }
});
