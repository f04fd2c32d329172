/**
 * Runs a fixture model (any variant) in onnxruntime-web (wasm, in Node) on the golden inputs
 * of goldens/outputs.json and measures it against the fp32 goldens from Python transformers.
 * Where a golden holds only a summary (large logits), the reference is the fp32 model run
 * here, after checking that run against the golden summary (l2, first values, argmax).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export const FIXTURES = join(import.meta.dirname, '../../webformers/test/fixtures/models');

type Golden = { shape: number[]; data?: unknown; summary?: { l2: number; first8: number[]; argmax_last_axis: unknown } };
type Feeds = Record<string, ort.Tensor>;

export interface Fixture {
  name: string;
  dir: string;
  kind: 'encoder' | 'decoder' | 'seq2seq';
  /** ONNX files of the fixture (fp32), relative to the fixture folder. */
  files: string[];
  cases: any[];
}

export function listFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.startsWith('tiny-random-') && existsSync(join(FIXTURES, name, 'onnx')))
    .map((name) => {
      const dir = join(FIXTURES, name);
      const files = readdirSync(join(dir, 'onnx')).filter((f) => /^(model|encoder_model|decoder_model_merged)\.onnx$/.test(f));
      const cases = JSON.parse(readFileSync(join(dir, 'goldens/outputs.json'), 'utf8')).cases;
      const kind = files.includes('encoder_model.onnx') ? 'seq2seq' : cases[0].past_sequence_length !== undefined ? 'decoder' : 'encoder';
      return { name, dir, kind, files: files.map((f) => `onnx/${f}`), cases };
    });
}

function flat(nested: unknown): number[] {
  return (nested as unknown[]).flat(Infinity as 1) as number[];
}

function int64(nested: unknown[], shape?: number[]): ort.Tensor {
  const values = flat(nested);
  const dims = shape ?? [nested.length, values.length / nested.length];
  return new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

function emptyPast(session: ort.InferenceSession, name: string, batch: number): ort.Tensor {
  const meta = session.inputMetadata.find((m) => m.name === name) as ort.InferenceSession.TensorValueMetadata;
  const dims = meta.shape.map((d, i) => (i === 0 ? batch : typeof d === 'number' ? d : 0));
  const size = dims.reduce((a, b) => a * b, 1);
  return meta.type === 'float16'
    ? new ort.Tensor('float16', new Uint16Array(size), dims)
    : new ort.Tensor('float32', new Float32Array(size), dims);
}

export function asFloat32(t: ort.Tensor): Float32Array {
  if (t.type === 'float32') return t.data as Float32Array;
  if (t.type === 'float16') {
    const bits = t.data as Uint16Array;
    return Float32Array.from(bits, (b) => {
      const e = (b >>> 10) & 0x1f;
      const m = b & 0x3ff;
      const s = b & 0x8000 ? -1 : 1;
      if (e === 0) return s * m * 2 ** -24;
      if (e === 31) return m ? NaN : s * Infinity;
      return s * (1 + m / 1024) * 2 ** (e - 15);
    });
  }
  throw new Error(`unexpected output type ${t.type}`);
}

/** One compared output: what the variant produced and what it is compared with. */
export interface Comparison {
  caseName: string;
  output: string;
  actual: Float32Array;
  shape: readonly number[];
  golden: Golden;
  /**
   * Per (batch, position) of the output: false where attention_mask is 0. Padded positions
   * come from fully masked attention rows, whose values only say how "-inf" was approximated;
   * nothing reads them.
   */
  valid?: boolean[];
}

export interface ModelFiles {
  /** ONNX bytes by fixture-relative path (e.g. onnx/model.onnx). */
  [file: string]: Uint8Array;
}

async function sessions(fixture: Fixture, files: ModelFiles): Promise<Record<string, ort.InferenceSession>> {
  const out: Record<string, ort.InferenceSession> = {};
  for (const f of fixture.files) out[f] = await ort.InferenceSession.create(files[f]);
  return out;
}

async function run(session: ort.InferenceSession, feeds: Feeds): Promise<Record<string, ort.Tensor>> {
  const used: Feeds = {};
  for (const name of session.inputNames) used[name] = feeds[name];
  return session.run(used);
}

function validPositions(dims: readonly number[], mask: number[][] | undefined): boolean[] | undefined {
  if (!mask || dims.length < 2 || dims[0] !== mask.length) return undefined;
  const offset = mask[0].length - dims[1];
  if (offset < 0) return undefined;
  return mask.flatMap((row) => row.slice(offset).map((m) => m === 1));
}

function compare(caseName: string, outputs: Record<string, ort.Tensor>, goldens: Record<string, Golden>, mask?: number[][]): Comparison[] {
  return Object.entries(goldens).map(([output, golden]) => ({
    caseName,
    output,
    actual: asFloat32(outputs[output]),
    shape: outputs[output].dims,
    golden,
    valid: validPositions(outputs[output].dims, mask),
  }));
}

function pastsFrom(outputs: Record<string, ort.Tensor>): Feeds {
  const feeds: Feeds = {};
  for (const [name, t] of Object.entries(outputs)) {
    if (name.startsWith('present')) feeds[name.replace('present', 'past_key_values')] = t;
  }
  return feeds;
}

async function runEncoder(fixture: Fixture, s: Record<string, ort.InferenceSession>): Promise<Comparison[]> {
  const session = s['onnx/model.onnx'];
  const out: Comparison[] = [];
  for (const c of fixture.cases) {
    const feeds: Feeds = { input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask) };
    if (c.token_type_ids) feeds.token_type_ids = int64(c.token_type_ids);
    out.push(...compare(c.name, await run(session, feeds), c.outputs, c.attention_mask));
  }
  return out;
}

async function runDecoder(fixture: Fixture, s: Record<string, ort.InferenceSession>): Promise<Comparison[]> {
  const session = s['onnx/model.onnx'];
  const out: Comparison[] = [];
  let previous: Record<string, ort.Tensor> = {};
  for (const c of fixture.cases) {
    const batch = c.input_ids.length;
    const feeds: Feeds = {
      input_ids: int64(c.input_ids),
      attention_mask: int64(c.attention_mask),
      position_ids: int64(c.position_ids),
    };
    const pasts = c.past_sequence_length > 0 ? pastsFrom(previous) : {};
    for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values'))) {
      feeds[name] = pasts[name] ?? emptyPast(session, name, batch);
    }
    previous = await run(session, feeds);
    out.push(...compare(c.name, previous, c.outputs, c.attention_mask));
  }
  return out;
}

/**
 * Which encoder states an encoder-decoder's decoder reads: this run's own encoder output (the
 * model end to end, what a variant is measured on), or the golden encoder output from Python
 * (each graph checked on its own, as onnx-check.json was produced).
 */
export type DecoderInput = 'own-encoder' | 'golden-encoder';

function goldenTensor(golden: Golden): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.from(goldenData(golden)!), golden.shape);
}

async function runSeq2Seq(fixture: Fixture, s: Record<string, ort.InferenceSession>, decoderInput: DecoderInput): Promise<Comparison[]> {
  const encoder = s['onnx/encoder_model.onnx'];
  const decoder = s['onnx/decoder_model_merged.onnx'];
  const out: Comparison[] = [];
  for (const c of fixture.cases) {
    const batch = c.input_ids.length;
    const attention = int64(c.attention_mask);
    const enc = await run(encoder, { input_ids: int64(c.input_ids), attention_mask: attention });
    out.push(...compare(`${c.name}/encoder`, enc, c.encoder_outputs, c.attention_mask));
    const hidden =
      decoderInput === 'golden-encoder'
        ? goldenTensor(c.encoder_outputs.last_hidden_state)
        : new ort.Tensor('float32', asFloat32(enc.last_hidden_state), enc.last_hidden_state.dims);
    const step = async (stepCase: any, pasts: Feeds, useCache: boolean) => {
      const feeds: Feeds = {
        input_ids: int64(stepCase.decoder_input_ids),
        encoder_attention_mask: attention,
        encoder_hidden_states: hidden,
        use_cache_branch: new ort.Tensor('bool', Uint8Array.from([useCache ? 1 : 0]), [1]),
      };
      for (const name of decoder.inputNames.filter((n) => n.startsWith('past_key_values'))) {
        feeds[name] = pasts[name] ?? emptyPast(decoder, name, batch);
      }
      return run(decoder, feeds);
    };
    const step0 = await step(c.decoder_step0, {}, false);
    out.push(...compare(`${c.name}/step0`, step0, c.decoder_step0.outputs));
    const step1 = await step(c.decoder_step1_cached, pastsFrom(step0), true);
    out.push(...compare(`${c.name}/step1`, step1, c.decoder_step1_cached.outputs));
  }
  return out;
}

/** Runs every golden case of the fixture on the given model files. */
export async function runFixture(fixture: Fixture, files: ModelFiles, decoderInput: DecoderInput = 'own-encoder'): Promise<Comparison[]> {
  const s = await sessions(fixture, files);
  try {
    if (fixture.kind === 'encoder') return await runEncoder(fixture, s);
    if (fixture.kind === 'decoder') return await runDecoder(fixture, s);
    return await runSeq2Seq(fixture, s, decoderInput);
  } finally {
    for (const session of Object.values(s)) await session.release();
  }
}

export function readFixtureFiles(fixture: Fixture): ModelFiles {
  const files: ModelFiles = {};
  for (const f of fixture.files) files[f] = new Uint8Array(readFileSync(join(fixture.dir, f)));
  return files;
}

const flattened = new WeakMap<Golden, number[]>();

/** A golden's values, flattened once: every variant of a fixture is compared with the same goldens. */
export function goldenData(golden: Golden): number[] | undefined {
  if (golden.data === undefined) return undefined;
  let data = flattened.get(golden);
  if (!data) {
    data = flat(golden.data);
    flattened.set(golden, data);
  }
  return data;
}

export function goldenArgmax(golden: Golden, lastAxis: number): number[] {
  const data = goldenData(golden);
  if (!data) return flat(golden.summary!.argmax_last_axis);
  return argmaxLastAxis(Float32Array.from(data), lastAxis);
}

export function argmaxLastAxis(values: Float32Array, lastAxis: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < values.length; row += lastAxis) {
    let best = row;
    for (let i = row + 1; i < row + lastAxis; i++) if (values[i] > values[best]) best = i;
    out.push(best - row);
  }
  return out;
}

export function l2(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}
