/**
 * Encoder-decoder models (t5, bart, mbart, marian, m2m100): `encoder_model` runs once per call,
 * `decoder_model_merged` once per step. The merged decoder has two subgraphs chosen by
 * `use_cache_branch`: the first step (false) computes the cross-attention keys/values from the
 * encoder output and returns them as `present.*.encoder.*`; later steps (true) take them as past
 * and echo them back, so the step-0 ones are kept and the echoes freed.
 */
import { sessionRowGather, type InferenceBackend, type ModelSession, type SessionValue, type TensorInfo } from '../backend/index.js';
import { InvalidArgumentError } from '../utils/errors.js';
import type { Tensor } from '../utils/tensor.js';
import type { PretrainedConfig } from './config.js';
import { assertKVCacheGraph, emptyPast, pastFeeds, pastInputs, storePresentsAndReadLogits } from './kv-cache.js';
import { maxPositionsOf, vocabSizeOf } from './model-dimensions.js';
import { RowState } from './row-state.js';
import { boolScalar, int64Rows, releaseUnused, tensorRows } from './step-io.js';

type Rows = readonly (readonly number[])[];

const ENCODER_STATES = 'encoder_hidden_states';
const ENCODER_MASK = 'encoder_attention_mask';

const isCrossAttention = (pastName: string) => pastName.includes('.encoder.');

export class Seq2SeqStepModel {
  readonly isEncoderDecoder = true;
  readonly vocabSize: number;
  /** The decoder's position table (bart, marian); t5's relative positions have none. */
  readonly maxContextLength: number | undefined;
  readonly #encoder: ModelSession;
  readonly #decoder: ModelSession;
  readonly #past: TensorInfo[];
  /** Encoder states and mask, then the decoder and cross-attention caches. */
  readonly #state: RowState;

  /** `backend` is the one that started the sessions: beam reordering runs its gather graph on the same device. */
  constructor(modelId: string, config: PretrainedConfig, encoder: ModelSession, decoder: ModelSession, backend: InferenceBackend) {
    this.#encoder = encoder;
    this.#state = new RowState(sessionRowGather(backend, decoder.device));
    this.#decoder = decoder;
    this.#past = assertKVCacheGraph(modelId, 'decoder_model_merged', decoder, config);
    this.vocabSize = vocabSizeOf(modelId, config);
    this.maxContextLength = maxPositionsOf(config);
  }

  async encode(inputIds: Rows, attentionMask: Rows): Promise<void> {
    this.#state.clear();
    const mask = int64Rows(attentionMask);
    const out = await this.#encoder.runKeepingDeviceOutputs({ input_ids: int64Rows(inputIds), attention_mask: mask });
    const states = out.last_hidden_state;
    releaseUnused(out, new Set([states]));
    this.#state.set(ENCODER_STATES, states);
    this.#state.set(ENCODER_MASK, mask);
  }

  async step({ inputIds, attentionMask }: { inputIds: Rows; attentionMask: Rows }): Promise<Float32Array> {
    if (this.#state.get(ENCODER_STATES) === undefined) {
      throw new InvalidArgumentError('The decoder ran before the encoder.', { hint: 'Call encode() on the prompt before step().' });
    }
    await this.#state.materialize();
    const cached = this.#state.get(this.#past[0].name) !== undefined;
    const out = await this.#decoder.runKeepingDeviceOutputs({
      input_ids: int64Rows(inputIds),
      attention_mask: int64Rows(attentionMask),
      [ENCODER_STATES]: this.#state.get(ENCODER_STATES) as SessionValue,
      [ENCODER_MASK]: this.#state.get(ENCODER_MASK) as SessionValue,
      use_cache_branch: boolScalar(cached),
      ...pastFeeds(this.#past, this.#state, inputIds.length),
    });
    return storePresentsAndReadLogits(out, this.#past, this.#state, (name) => !(cached && isCrossAttention(name)));
  }

  selectRows(indices: readonly number[]): void {
    this.#state.select(indices);
  }

  reset(): void {
    this.#state.clear();
  }
}

/**
 * One forward pass from scratch, as Python's `model(input_ids, attention_mask, decoder_input_ids)`:
 * encoder, then the decoder's first-step branch. Returns logits, the presents and
 * `encoder_last_hidden_state`.
 */
export async function seq2seqForward(sessions: Readonly<Record<string, ModelSession>>, inputs: Record<string, Tensor | undefined>, config: PretrainedConfig): Promise<Record<string, Tensor>> {
  const { input_ids, decoder_input_ids } = inputs;
  if (!input_ids || !decoder_input_ids) {
    throw new InvalidArgumentError('An encoder-decoder model needs input_ids and decoder_input_ids.', {
      hint: "Pass decoder_input_ids (e.g. [[decoder_start_token_id]]), or use model.generate().",
    });
  }
  const rows = input_ids.dims[0];
  const attention_mask = inputs.attention_mask ?? int64Rows(tensorRows(input_ids).map((row) => row.map(() => 1)));
  const { last_hidden_state } = await sessions.encoder_model.run({ input_ids, attention_mask });
  const decoder = sessions.decoder_model_merged;
  const feeds: Record<string, Tensor> = {
    input_ids: decoder_input_ids,
    attention_mask: inputs.decoder_attention_mask ?? int64Rows(tensorRows(decoder_input_ids).map((row) => row.map(() => 1))),
    [ENCODER_STATES]: last_hidden_state,
    [ENCODER_MASK]: attention_mask,
    use_cache_branch: boolScalar(false),
  };
  for (const info of pastInputs(decoder, config)) feeds[info.name] = emptyPast(info, rows);
  const out = await decoder.run(feeds);
  return { ...out, encoder_last_hidden_state: last_hidden_state };
}
