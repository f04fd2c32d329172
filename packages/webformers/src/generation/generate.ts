/**
 * `generate()`: merges and checks the generation config, prepares the rows (left-padded prompt, or
 * the decoder start ids after running the encoder), expands them for beams / several samples, runs
 * greedy, sampling or beam search over a `StepModel`, and returns ids (and scores) as Python does.
 */
import { InvalidArgumentError } from '../utils/errors.js';
import { Tensor } from '../utils/tensor.js';
import { beamSearch } from './beam-search.js';
import type { DecodingState } from './decoding-state.js';
import {
  eosTokenIds, mergeGenerationConfig, resolveLengths, validateGenerationConfig,
  type GenerationConfig, type GenerationOptions,
} from './generation-config.js';
import { defaultAttentionMask, expandedRowIndices, toRows, type IdsInput } from './inputs.js';
import { buildLogitsProcessors } from './logits-processors/processor-list.js';
import { sampleLoop } from './sample-loop.js';
import { createRandomSource, randomSeed } from './sampling.js';
import { buildStoppingCriteria } from './stopping-setup.js';
import type { StepModel, StreamDecoder, Streamer } from './types.js';

export interface GenerateRequest extends GenerationOptions {
  input_ids: IdsInput;
  attention_mask?: IdsInput;
  /** Replaces the model's own generation config (call options still apply on top), as in Python. */
  generation_config?: Partial<GenerationConfig>;
  streamer?: Streamer;
  /** Ends generation after the step in flight; what was produced so far is returned. */
  signal?: AbortSignal;
  /** Needed by `stop_strings`, which are matched on decoded text. */
  tokenizer?: StreamDecoder;
}

export interface GenerateOutput {
  /** `[rows, length]` int64: decoder-only rows hold the prompt then new tokens; encoder-decoder rows the decoder ids. */
  sequences: Tensor;
  /** With `output_scores`: one float32 `[rows, vocab]` tensor per step (processed scores; beams: per beam). */
  scores?: Tensor[];
  /** Beam search with `output_scores`: the length-penalised score of each returned row. */
  sequences_scores?: Tensor;
}

/**
 * Runs generation. `modelGenerationConfig` is the model's `generation_config.json` (or its
 * config-derived equivalent). Returns the sequences tensor, or a `GenerateOutput` when
 * `return_dict_in_generate` is set.
 */
export async function generate(
  model: StepModel,
  request: GenerateRequest,
  modelGenerationConfig: Record<string, unknown> | null = null,
): Promise<Tensor | GenerateOutput> {
  const { input_ids, attention_mask, generation_config, streamer, signal, tokenizer, ...options } = request;
  const config = mergeGenerationConfig(generation_config ?? modelGenerationConfig, options);
  validateGenerationConfig(config);
  const eos = eosTokenIds(config);
  // Python's _prepare_special_tokens: without a pad id, finished rows are padded with the first EOS.
  const padTokenId = config.pad_token_id ?? eos[0] ?? null;
  const prompt = toRows(input_ids, 'input_ids');
  const promptMask = attention_mask ? toRows(attention_mask, 'attention_mask') : defaultAttentionMask(prompt, padTokenId, eos);
  if (promptMask.length !== prompt.length || promptMask[0].length !== prompt[0].length) {
    throw new InvalidArgumentError('attention_mask and input_ids have different shapes.', { hint: 'Pass the attention_mask the tokenizer returned with these input_ids.' });
  }
  if (streamer && config.num_beams > 1) {
    throw new InvalidArgumentError('A streamer cannot be used with beam search.', { hint: 'Use num_beams: 1 when streaming, as in Python transformers.' });
  }
  checkContext(model, prompt[0].length);

  try {
    const start = model.isEncoderDecoder ? await startDecoder(model, config, prompt, promptMask) : { sequences: prompt, attentionMask: promptMask };
    streamer?.put(start.sequences);
    const expand = config.num_beams > 1 ? config.num_beams : config.num_return_sequences;
    const rows = expandedRowIndices(start.sequences.length, expand);
    model.selectRows(rows);
    const inputLength = start.sequences[0].length;
    const { maxLength, minLength } = resolveLengths(config, inputLength, { maxLengthIsDefault: options.max_length === undefined, maxPositions: model.maxContextLength });
    const state: DecodingState = {
      model,
      sequences: rows.map((r) => [...start.sequences[r]]),
      attentionMask: rows.map((r) => [...start.attentionMask[r]]),
      processors: buildLogitsProcessors(config, { inputLength, maxLength, minLength }),
      stopping: buildStoppingCriteria(config, { model, inputLength, maxLength, eos, signal, tokenizer }),
      scores: config.output_scores ? [] : null,
    };
    let sequences: number[][];
    let sequenceScores: number[] | null = null;
    if (config.num_beams > 1) {
      const result = await beamSearch(state, {
        batchSize: prompt.length,
        numBeams: config.num_beams,
        lengthPenalty: config.length_penalty,
        earlyStopping: config.early_stopping,
        numReturnSequences: config.num_return_sequences,
        maxLength,
        decoderPromptLength: inputLength,
        eosTokenIds: eos,
        padTokenId,
      });
      sequences = result.sequences;
      sequenceScores = result.sequenceScores;
    } else {
      const random = config.do_sample ? createRandomSource(config.seed ?? randomSeed()) : null;
      await sampleLoop(state, { random, padTokenId: eos.length > 0 ? padTokenId : null, streamer: streamer ?? null });
      sequences = state.sequences;
    }
    streamer?.end();
    return packOutput(config, sequences, state.scores, sequenceScores);
  } finally {
    model.reset();
  }
}

function checkContext(model: StepModel, promptLength: number): void {
  if (!model.isEncoderDecoder && model.maxContextLength !== undefined && promptLength >= model.maxContextLength) {
    throw new InvalidArgumentError(
      `The prompt has ${promptLength} tokens but the model's context holds ${model.maxContextLength}, leaving no room to generate.`,
      { hint: 'Shorten the prompt (e.g. tokenize with truncation and a smaller max_length).' },
    );
  }
}

/** Encoder-decoder: run the encoder once, then every row starts from `decoder_start_token_id` (BOS if unset, as Python). */
async function startDecoder(model: StepModel, config: GenerationConfig, prompt: number[][], mask: number[][]): Promise<{ sequences: number[][]; attentionMask: number[][] }> {
  const startId = config.decoder_start_token_id ?? config.bos_token_id;
  if (startId === null) {
    throw new InvalidArgumentError('This encoder-decoder model has no decoder_start_token_id (nor bos_token_id).', { hint: "Pass decoder_start_token_id, or check the model's generation_config.json." });
  }
  if (!model.encode) {
    throw new InvalidArgumentError('The model is marked encoder-decoder but has no encode() step.', { hint: 'Implement StepModel.encode for encoder-decoder models.' });
  }
  await model.encode(prompt, mask);
  return { sequences: prompt.map(() => [startId]), attentionMask: prompt.map(() => [1]) };
}

function packOutput(config: GenerationConfig, sequences: number[][], scores: Float32Array[][] | null, sequenceScores: number[] | null): Tensor | GenerateOutput {
  const width = sequences[0].length;
  const ids = new Tensor('int64', sequences.flat().map((id) => BigInt(id)), [sequences.length, width]);
  if (!config.return_dict_in_generate) return ids;
  const output: GenerateOutput = { sequences: ids };
  if (scores) output.scores = scores.map((step) => new Tensor('float32', concatRows(step), [step.length, step[0].length]));
  if (scores && sequenceScores) output.sequences_scores = new Tensor('float32', Float32Array.from(sequenceScores), [sequenceScores.length]);
  return output;
}

function concatRows(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.length * rows[0].length);
  rows.forEach((row, r) => out.set(row, r * row.length));
  return out;
}
