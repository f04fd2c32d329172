/**
 * The generation layer's contracts. A model takes part in `generate()` through `StepModel`: the
 * loop owns token ids, masks, scores and beams; the model owns its sessions, KV cache and encoder
 * outputs. Nothing here names onnxruntime, so the loop runs against a fake model in tests.
 */

/** Token ids of one call, one row per sequence. */
export type TokenRows = readonly (readonly number[])[];

/** What the loop hands the model at each step. */
export interface StepInputs {
  /**
   * Ids to feed now, one row per live sequence. First step: the whole (left-padded) prompt, or for
   * encoder-decoder models the decoder start token; later steps: the one token chosen last step.
   */
  inputIds: TokenRows;
  /**
   * Mask over every position seen so far (past + `inputIds`), one row per sequence, 0 on left
   * padding. Decoder-only models derive `position_ids` from it (cumsum - 1, padded positions 1).
   */
  attentionMask: TokenRows;
}

/**
 * A language model as the generation loop sees it. One instance serves one `generate()` call at a
 * time; the loop calls `reset()` when the call ends (also on error or abort), after which the model
 * must be ready for the next call.
 *
 * Row bookkeeping: the loop may call `selectRows` before the first step (to expand a batch for beam
 * search or `num_return_sequences`) and after any step (beam reordering). Row i afterwards holds what
 * row `indices[i]` held before; indices may repeat.
 */
export interface StepModel {
  /** True when the prompt goes to an encoder and decoding starts from `decoder_start_token_id`. */
  readonly isEncoderDecoder: boolean;
  /** Logit vector size; the loop checks each step's output against it. */
  readonly vocabSize: number;
  /** Longest sequence the decoder accepts (e.g. `max_position_embeddings`); absent when unbounded. */
  readonly maxContextLength?: number;
  /** Encoder-decoder only: run the encoder once on the prompt and keep its outputs (one per row). */
  encode?(inputIds: TokenRows, attentionMask: TokenRows): Promise<void>;
  /** Run one decoder step; returns the last position's logits, `[rows * vocabSize]` row-major. */
  step(inputs: StepInputs): Promise<Float32Array>;
  /** Reorder / expand every per-row state (KV cache, encoder outputs and their mask). */
  selectRows(indices: readonly number[]): void;
  /** Release the cache and encoder outputs of the finished call (GPU buffers included). */
  reset(): void;
}

/** What `TextStreamer` needs from a tokenizer. */
export interface StreamDecoder {
  decode(ids: readonly number[], options?: Record<string, unknown>): string;
}

/**
 * Receives tokens as they are produced, as Python's `BaseStreamer`: first `put` gets the prompt
 * (decoder-only) or the decoder start ids (encoder-decoder), then one `put` per step with one token
 * per row, then `end()` once.
 */
export interface Streamer {
  put(tokens: TokenRows): void;
  end(): void;
}
