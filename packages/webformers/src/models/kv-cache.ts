/**
 * The KV-cache interface of exported decoder graphs, read from the session's declared inputs:
 * `past_key_values.{name}` in, `present.{name}` out, laid out `[batch, heads, length, head_dim]`.
 * The first step feeds length-0 pasts (the export's convention, also transformers.js's).
 */
import type { ModelSession, SessionValue, TensorInfo } from '../backend/index.js';
import { WebformersError } from '../utils/errors.js';
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

/** A past whose head count or head size is symbolic cannot be created empty from the graph alone. */
export class CacheShapeError extends WebformersError {
  constructor(input: string, dims: readonly (number | string)[]) {
    super('kv_cache_shape', `Cache input "${input}" has dims [${dims.join(', ')}]; only batch (axis 0) and length (axis 2) may be symbolic.`, {
      hint: 'Re-export the model with fixed head count and head size in its past_key_values inputs.',
    });
  }
}

export function pastInputs(session: ModelSession): TensorInfo[] {
  return session.inputs.filter((info) => info.name.startsWith(PAST_PREFIX));
}

export function assertKVCacheGraph(model: string, sessionName: string, session: ModelSession): TensorInfo[] {
  const past = pastInputs(session);
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
