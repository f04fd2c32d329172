/**
 * Decoder-only models (gpt2, llama, qwen, phi, ...) over one KV-cache graph. `CausalLMStepModel`
 * is what the generation loop drives (the `StepModel` contract of generation/types.ts, met
 * structurally: this layer comes before generation); `decoderForward` is the plain model call.
 */
import { sessionRowGather, type InferenceBackend, type ModelSession, type TensorInfo } from '../backend/index.js';
import type { Tensor } from '../utils/tensor.js';
import type { PretrainedConfig } from './config.js';
import { assertKVCacheGraph, emptyPast, pastInputs, pastFeeds, storePresentsAndReadLogits } from './kv-cache.js';
import { maxPositionsOf, vocabSizeOf } from './model-dimensions.js';
import { RowState } from './row-state.js';
import { boolScalar, int64Rows, positionIds, tensorRows, withoutUndefined } from './step-io.js';

type Rows = readonly (readonly number[])[];

/** Inputs besides ids, mask and past that some exports declare; filled from the mask and cache. */
function extraFeeds(session: ModelSession, mask: Rows, length: number, cached: boolean): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  if (session.inputNames.includes('position_ids')) feeds.position_ids = positionIds(mask, length);
  // Older merged exports (decoder_model_merged) switch between prefill and cached subgraphs.
  if (session.inputNames.includes('use_cache_branch')) feeds.use_cache_branch = boolScalar(cached);
  return feeds;
}

export class CausalLMStepModel {
  readonly isEncoderDecoder = false;
  readonly vocabSize: number;
  readonly maxContextLength: number | undefined;
  readonly #session: ModelSession;
  readonly #past: TensorInfo[];
  readonly #cache: RowState;

  /** `backend` is the one that started `session`: beam reordering runs its gather graph on the same device. */
  constructor(modelId: string, config: PretrainedConfig, session: ModelSession, backend: InferenceBackend) {
    this.#session = session;
    this.#cache = new RowState(sessionRowGather(backend, session.device));
    this.#past = assertKVCacheGraph(modelId, 'model', session, config);
    this.vocabSize = vocabSizeOf(modelId, config);
    this.maxContextLength = maxPositionsOf(config);
  }

  async step({ inputIds, attentionMask }: { inputIds: Rows; attentionMask: Rows }): Promise<Float32Array> {
    await this.#cache.materialize();
    const cached = this.#cache.size > 0;
    const out = await this.#session.runKeepingDeviceOutputs({
      input_ids: int64Rows(inputIds),
      attention_mask: int64Rows(attentionMask),
      ...extraFeeds(this.#session, attentionMask, inputIds[0].length, cached),
      ...pastFeeds(this.#past, this.#cache, inputIds.length),
    });
    return storePresentsAndReadLogits(out, this.#past, this.#cache);
  }

  selectRows(indices: readonly number[]): void {
    this.#cache.select(indices);
  }

  reset(): void {
    this.#cache.clear();
  }
}

/**
 * One forward pass, as Python's `model(input_ids, attention_mask, past_key_values=...)`: the mask
 * defaults to ones, position ids follow the mask, a missing past is empty. Returns logits and
 * every `present.*`.
 */
export async function decoderForward(sessions: Readonly<Record<string, ModelSession>>, inputs: Record<string, Tensor | undefined>, config: PretrainedConfig): Promise<Record<string, Tensor>> {
  const session = sessions.model;
  const ids = inputs.input_ids;
  if (!ids) return session.run(withoutUndefined(inputs));
  const [rows, length] = ids.dims;
  const past = pastInputs(session, config);
  const pastLength = inputs[past[0]?.name ?? '']?.dims[2] ?? 0;
  const mask = inputs.attention_mask ?? int64Rows(Array.from({ length: rows }, () => new Array(pastLength + length).fill(1)));
  const maskRows = tensorRows(mask);
  const feeds: Record<string, Tensor> = { ...extraFeeds(session, maskRows, length, pastLength > 0), ...withoutUndefined(inputs), attention_mask: mask };
  for (const info of past) feeds[info.name] ??= emptyPast(info, rows);
  return session.run(feeds);
}
