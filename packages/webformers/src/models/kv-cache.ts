/**
 * The KV-cache interface of exported decoder graphs, read from the session's declared inputs:
 * `past_key_values.{name}` in, `present.{name}` out, laid out `[batch, heads, length, head_dim]`.
 * The first step feeds length-0 pasts (the export's convention, also transformers.js's).
 */
import type { ModelSession, SessionValue, TensorInfo } from '../backend/index.js';
import { WebformersError } from '../utils/errors.js';
import type { PretrainedConfig } from './config.js';
import { emptyData, Tensor } from '../utils/tensor.js';
import type { RowState } from './row-state.js';
import { lastPositionLogits, releaseUnused } from './step-io.js';

const PAST_PREFIX = 'past_key_values.';
const PRESENT_PREFIX = 'present.';
const BATCH_AXIS = 0;
const LENGTH_AXIS = 2;

/** The decoder graph has no `past_key_values.*` inputs, so it cannot generate step by step. */
export class MissingKVCacheError extends WebformersError {
  readonly model: string;
  constructor(model: string, session: string, inputs: readonly string[]) {
    super('kv_cache_missing', `Model "${model}": onnx/${session} has no KV-cache inputs (it takes ${inputs.join(', ')}).`, {
      hint: 'Export the decoder with past key values (optimum: --task text-generation-with-past), as the onnx-community and Xenova repositories do.',
    });
    this.model = model;
  }
}

/** A past whose head count or head size is symbolic, and config.json does not give them either. */
export class CacheShapeError extends WebformersError {
  constructor(input: string, dims: readonly (number | string)[]) {
    super('kv_cache_shape', `Cache input "${input}" has dims [${dims.join(', ')}], and config.json does not give its head count and head size.`, {
      hint: 'Add num_key_value_heads (or num_attention_heads) and head_dim (or hidden_size) to config.json, or re-export the model with fixed head dims in its past_key_values inputs.',
    });
  }
}

const firstNumber = (config: PretrainedConfig, keys: readonly string[]): number | undefined =>
  keys.map((key) => config[key]).find((value): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0);

/**
 * Head count and head size as transformers computes them, for graphs that leave them symbolic in
 * their past inputs: key/value heads (fewer than query heads under grouped-query attention), and
 * `head_dim` or the hidden size split over the query heads. Cross-attention pasts of
 * encoder-decoder models (`past_key_values.{i}.encoder.*`) have the encoder's head count.
 */
function headDimsFromConfig(config: PretrainedConfig, pastName: string): [number, number] | undefined {
  const crossAttention = pastName.includes('.encoder.');
  const queryHeads = firstNumber(config, crossAttention
    ? ['encoder_attention_heads', 'num_heads', 'num_attention_heads']
    : ['decoder_attention_heads', 'num_attention_heads', 'n_head', 'num_heads']);
  const heads = crossAttention ? queryHeads : (firstNumber(config, ['num_key_value_heads']) ?? queryHeads);
  const hidden = firstNumber(config, ['hidden_size', 'n_embd', 'd_model']);
  const headDim = firstNumber(config, ['head_dim', 'd_kv']) ?? (hidden !== undefined && queryHeads !== undefined && hidden % queryHeads === 0 ? hidden / queryHeads : undefined);
  return heads !== undefined && headDim !== undefined ? [heads, headDim] : undefined;
}

/** The graph's past inputs, with symbolic head count and head size filled in from `config`. */
export function pastInputs(session: ModelSession, config: PretrainedConfig): TensorInfo[] {
  return session.inputs.filter((info) => info.name.startsWith(PAST_PREFIX)).map((info) => {
    const fixed = (axis: number) => axis === BATCH_AXIS || axis === LENGTH_AXIS || typeof info.dims[axis] === 'number';
    if (info.dims.length !== 4 || info.dims.every((_, axis) => fixed(axis))) return info;
    const fromConfig = headDimsFromConfig(config, info.name);
    if (!fromConfig) return info;
    const [heads, headDim] = fromConfig;
    return { ...info, dims: [info.dims[BATCH_AXIS], heads, info.dims[LENGTH_AXIS], headDim] };
  });
}

export function assertKVCacheGraph(model: string, sessionName: string, session: ModelSession, config: PretrainedConfig): TensorInfo[] {
  const past = pastInputs(session, config);
  if (past.length === 0) throw new MissingKVCacheError(model, sessionName, session.inputNames);
  for (const info of past) {
    if (info.dims.length !== 4 || info.dims.some((d, axis) => axis !== BATCH_AXIS && axis !== LENGTH_AXIS && typeof d !== 'number')) {
      throw new CacheShapeError(info.name, info.dims);
    }
  }
  return past;
}

export function presentName(pastName: string): string {
  return PRESENT_PREFIX + pastName.slice(PAST_PREFIX.length);
}

/** A length-0 past for `rows` rows, in the dtype the graph declares (float16 graphs take float16). */
export function emptyPast(info: TensorInfo, rows: number): Tensor {
  const dims = info.dims.map((d, axis) => (axis === BATCH_AXIS ? rows : axis === LENGTH_AXIS ? 0 : (d as number)));
  return new Tensor(info.dtype, emptyData(info.dtype, 0), dims);
}

/** Past feeds from the cache, or empty ones when the cache has none yet. */
export function pastFeeds(past: readonly TensorInfo[], cache: RowState, rows: number): Record<string, SessionValue> {
  const feeds: Record<string, SessionValue> = {};
  for (const info of past) feeds[info.name] = cache.get(info.name) ?? emptyPast(info, rows);
  return feeds;
}

/**
 * After a step: keep each `present.*` as the next step's past (all but those `keepPast` declines, e.g. the
 * cross-attention pasts the merged decoder only echoes back), read the last position's logits, and release
 * every other output, so no GPU buffer outlives the step that made it.
 */
export async function storePresentsAndReadLogits(
  outputs: Record<string, SessionValue>,
  past: readonly TensorInfo[],
  cache: RowState,
  keepPast: (pastName: string) => boolean = () => true,
): Promise<Float32Array> {
  const kept = new Set<SessionValue>();
  for (const info of past) {
    if (!keepPast(info.name)) continue;
    const present = outputs[presentName(info.name)];
    cache.set(info.name, present);
    kept.add(present);
  }
  try {
    return await lastPositionLogits(outputs.logits);
  } finally {
    releaseUnused(outputs, kept);
  }
}
