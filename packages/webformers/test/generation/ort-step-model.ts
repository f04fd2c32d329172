/**
 * Test-only StepModel over onnxruntime-web (wasm, in Node) for the fixture graphs, so the generation
 * loop can be checked against Python's generation goldens before src/models/ provides the real
 * adapter. It follows the graph interface of test/fixtures/models/README.md: decoder-only
 * (`past_key_values.{i}.key|value` -> `present.{i}.*`) and encoder + merged decoder
 * (`use_cache_branch`, encoder past taken from step 0). Cache rows live in host memory here.
 */
import * as ort from 'onnxruntime-web';
import type { StepInputs, StepModel, TokenRows } from '../../src/generation/types.js';
import { MODEL_FIXTURES, readFixtureJSON } from '../support/model-goldens.js';

type Past = Map<string, ort.Tensor>;

const int64 = (rows: TokenRows): ort.Tensor =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat(), (v) => BigInt(v)), [rows.length, rows[0].length]);

/** Row i of the result = row indices[i] of `tensor` (dim 0). */
function gatherRows(tensor: ort.Tensor, indices: readonly number[]): ort.Tensor {
  const [rows, ...rest] = tensor.dims;
  const width = rows === 0 ? 0 : tensor.data.length / rows;
  const source = tensor.data as Float32Array | BigInt64Array;
  const out = new (source.constructor as { new (n: number): Float32Array | BigInt64Array })(indices.length * width);
  indices.forEach((r, i) => out.set(source.subarray(r * width, (r + 1) * width) as never, i * width));
  return new ort.Tensor(tensor.type as 'float32', out as Float32Array, [indices.length, ...rest]);
}

function emptyPast(session: ort.InferenceSession, rows: number): Past {
  const past: Past = new Map();
  for (const meta of session.inputMetadata) {
    if (!meta.name.startsWith('past_key_values.') || !meta.isTensor) continue;
    const [, heads, , dim] = meta.shape as number[];
    past.set(meta.name, new ort.Tensor('float32', new Float32Array(0), [rows, heads, 0, dim]));
  }
  return past;
}

function lastPositionLogits(logits: ort.Tensor): Float32Array {
  const [rows, length, vocab] = logits.dims;
  const data = logits.data as Float32Array;
  const out = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r++) out.set(data.subarray((r * length + length - 1) * vocab, (r * length + length) * vocab), r * vocab);
  return out;
}

export class OrtStepModel implements StepModel {
  private past: Past | null = null;
  private encoderStates: ort.Tensor | null = null;
  private encoderMask: ort.Tensor | null = null;

  private constructor(
    private readonly decoder: ort.InferenceSession,
    private readonly encoder: ort.InferenceSession | null,
    readonly vocabSize: number,
    readonly maxContextLength: number | undefined,
  ) {}

  get isEncoderDecoder(): boolean {
    return this.encoder !== null;
  }

  static async load(model: string): Promise<OrtStepModel> {
    ort.env.wasm.numThreads = 1;
    const dir = `${MODEL_FIXTURES}${model}/`;
    const config = readFixtureJSON<{ is_encoder_decoder?: boolean; vocab_size: number; n_positions?: number; max_position_embeddings?: number }>(model, 'config.json');
    const encoderDecoder = config.is_encoder_decoder === true;
    const decoder = await ort.InferenceSession.create(`${dir}onnx/${encoderDecoder ? 'decoder_model_merged' : 'model'}.onnx`);
    const encoder = encoderDecoder ? await ort.InferenceSession.create(`${dir}onnx/encoder_model.onnx`) : null;
    return new OrtStepModel(decoder, encoder, config.vocab_size, config.n_positions ?? config.max_position_embeddings);
  }

  async encode(inputIds: TokenRows, attentionMask: TokenRows): Promise<void> {
    const mask = int64(attentionMask);
    const out = await (this.encoder as ort.InferenceSession).run({ input_ids: int64(inputIds), attention_mask: mask });
    this.encoderStates = out.last_hidden_state;
    this.encoderMask = mask;
  }

  async step({ inputIds, attentionMask }: StepInputs): Promise<Float32Array> {
    const first = this.past === null;
    const past = this.past ?? emptyPast(this.decoder, inputIds.length);
    const feeds: Record<string, ort.Tensor> = { input_ids: int64(inputIds) };
    for (const [name, tensor] of past) feeds[name] = tensor;
    if (this.encoder) {
      feeds.encoder_hidden_states = this.encoderStates as ort.Tensor;
      feeds.encoder_attention_mask = this.encoderMask as ort.Tensor;
      feeds.use_cache_branch = new ort.Tensor('bool', [!first], [1]);
    } else {
      feeds.attention_mask = int64(attentionMask);
      if (this.decoder.inputNames.includes('position_ids')) feeds.position_ids = int64(positionIds(attentionMask, inputIds[0].length));
    }
    const out = await this.decoder.run(feeds);
    const next: Past = new Map();
    for (const name of past.keys()) {
      const present = name.replace('past_key_values.', 'present.');
      // The merged decoder's cached branch echoes the encoder past; keep step 0's.
      next.set(name, !first && name.includes('.encoder.') ? past.get(name) as ort.Tensor : out[present]);
    }
    this.past = next;
    return lastPositionLogits(out.logits);
  }

  selectRows(indices: readonly number[]): void {
    if (this.past) for (const [name, tensor] of this.past) this.past.set(name, gatherRows(tensor, indices));
    if (this.encoderStates) this.encoderStates = gatherRows(this.encoderStates, indices);
    if (this.encoderMask) this.encoderMask = gatherRows(this.encoderMask, indices);
  }

  reset(): void {
    this.past = null;
    this.encoderStates = null;
    this.encoderMask = null;
  }
}

/** cumsum(mask) - 1 with padded positions set to 1 (Python's and transformers.js's rule), last `length` columns. */
function positionIds(mask: TokenRows, length: number): number[][] {
  return mask.map((row) => {
    let seen = 0;
    const ids = row.map((m) => (m === 1 ? seen++ : 1));
    return ids.slice(ids.length - length);
  });
}
