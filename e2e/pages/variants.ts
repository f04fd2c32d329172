// Runs the weight variants (fp16, q8, q4, q4f16) of every fixture in the page, loaded through the
// webformers loader by `dtype`, on the golden inputs of goldens/outputs.json, and measures them
// against the fp32 goldens of Python transformers. The variant files come either from the server
// (made in Node by packages/convert before the run) or from packages/convert's quantize() in this
// page, stored in the browser store where the loader finds them. The spec decides the bars.
import { DTYPE_SUFFIX, quantize, type Dtype } from '../../packages/convert/src/index.js';
import { AutoModel, cache, env, Tensor, type Device, type ModelDType, type PreTrainedModel } from '../../packages/webformers/src/index.js';
import { requestAdapter, type ModelSession } from '../../packages/webformers/src/backend/index.js';
import { getModelFile, resolveModelFile } from '../../packages/webformers/src/hub/index.js';
import { int64, tensorProblems, type GoldenTensor } from '../../packages/webformers/test/support/golden-compare.js';
import { argmaxAgreement, maskedCosine, referenceValues, type ArgmaxAgreement, type OutputComparison } from './variant-metrics.js';

const FIXTURES = '/packages/webformers/test/fixtures/models/';
const SERVED_VARIANTS = '/e2e/artifacts/variants/';
const FP32_TOLERANCE = 1e-4;

env.allowLocalModels = true;
env.allowRemoteModels = false;

type Goldens = Record<string, GoldenTensor>;

/** A fixture as packages/convert/test/fixture-runner.ts lists it: its kind, fp32 graphs and outputs.json cases. */
export interface FixtureCases {
  name: string;
  kind: 'encoder' | 'decoder' | 'seq2seq';
  /** fp32 graphs, relative to the fixture folder (onnx/model.onnx, ...). */
  files: string[];
  cases: any[];
}

/** `served`: files made in Node, under e2e/artifacts/variants. `page`: quantize() here, into the store. */
export type VariantSource = 'served' | 'page';

export interface VariantReport {
  dtype: Dtype;
  /** Device and dtype of each session, as the loaded model reports them. */
  loaded: string;
  minCosine: number;
  argmax: ArgmaxAgreement;
  compared: number;
  /** Set when the variant did not load or run: the library's error. */
  error?: { name: string; code?: string; message: string; hint?: string };
}

export interface FixtureReport {
  /** Where the page's fp32 run (the reference for summary-only goldens) differs from the goldens. */
  fp32Problems: string[];
  variants: VariantReport[];
}

function sessionOf(model: PreTrainedModel, name: string): ModelSession {
  return model.sessions[name];
}

function floats(t: Tensor, where: string): Float32Array {
  if (t.type !== 'float32') throw new Error(`${where}: output type ${t.type}; the variants keep float32 inputs and outputs`);
  return t.data as Float32Array;
}

/** Rows of an output that are not padding, from the attention mask (which may also cover past positions). */
function validRows(dims: readonly number[], mask: number[][] | undefined): boolean[] | undefined {
  if (!mask || dims.length < 2 || dims[0] !== mask.length) return undefined;
  const offset = mask[0].length - dims[1];
  if (offset < 0) return undefined;
  return mask.flatMap((row) => row.slice(offset).map((m) => m === 1));
}

function compare(where: string, outputs: Record<string, Tensor>, goldens: Goldens, mask?: number[][]): OutputComparison[] {
  return Object.entries(goldens).map(([output, golden]) => ({
    where,
    output,
    golden,
    dims: outputs[output].dims,
    actual: floats(outputs[output], `${where} ${output}`),
    valid: validRows(outputs[output].dims, mask),
  }));
}

/** Past key/values of length 0, shaped and typed as the graph declares them. */
function emptyPasts(session: ModelSession, batch: number): Record<string, Tensor> {
  const pasts: Record<string, Tensor> = {};
  for (const info of session.inputs.filter((i) => i.name.startsWith('past_key_values'))) {
    const dims = info.dims.map((d, axis) => (axis === 0 ? batch : typeof d === 'number' ? d : 0));
    pasts[info.name] = new Tensor(info.dtype, [], dims);
  }
  return pasts;
}

function pastsFrom(outputs: Record<string, Tensor>): Record<string, Tensor> {
  const pasts: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(outputs)) if (name.startsWith('present')) pasts[name.replace('present', 'past_key_values')] = t;
  return pasts;
}

async function runEncoder(model: PreTrainedModel, cases: any[]): Promise<OutputComparison[]> {
  const out: OutputComparison[] = [];
  for (const c of cases) {
    const feeds = { input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask), token_type_ids: int64(c.token_type_ids) };
    out.push(...compare(c.name, await sessionOf(model, 'model').run(feeds), c.outputs, c.attention_mask));
  }
  return out;
}

/** Prefill cases, each followed by a decode step that continues from the previous case's presents. */
async function runDecoder(model: PreTrainedModel, cases: any[]): Promise<OutputComparison[]> {
  const session = sessionOf(model, 'model');
  const out: OutputComparison[] = [];
  let previous: Record<string, Tensor> = {};
  for (const c of cases) {
    const pasts = c.past_sequence_length > 0 ? pastsFrom(previous) : emptyPasts(session, c.input_ids.length);
    const feeds = { input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask), position_ids: int64(c.position_ids), ...pasts };
    previous = await session.run(feeds);
    out.push(...compare(c.name, previous, c.outputs, c.attention_mask));
  }
  return out;
}

/**
 * Which encoder states the decoder reads: the model's own (a variant is measured end to end), or
 * Python's (the fp32 reference run checks each graph against its own goldens, as Node does).
 */
type DecoderInput = 'own-encoder' | 'golden-encoder';

async function runSeq2Seq(model: PreTrainedModel, cases: any[], decoderInput: DecoderInput): Promise<OutputComparison[]> {
  const decoder = sessionOf(model, 'decoder_model_merged');
  const out: OutputComparison[] = [];
  for (const c of cases) {
    const attention = int64(c.attention_mask);
    const encoded = await sessionOf(model, 'encoder_model').run({ input_ids: int64(c.input_ids), attention_mask: attention });
    out.push(...compare(`${c.name}/encoder`, encoded, c.encoder_outputs, c.attention_mask));
    const golden = c.encoder_outputs.last_hidden_state;
    const hidden = decoderInput === 'own-encoder' ? encoded.last_hidden_state : new Tensor('float32', Float32Array.from(golden.data.flat(Infinity)), golden.shape);
    const step = (s: any, pasts: Record<string, Tensor>, useCache: boolean) => decoder.run({
      input_ids: int64(s.decoder_input_ids),
      encoder_attention_mask: attention,
      encoder_hidden_states: hidden,
      use_cache_branch: new Tensor('bool', Uint8Array.of(useCache ? 1 : 0), [1]),
      ...pasts,
    });
    const step0 = await step(c.decoder_step0, emptyPasts(decoder, c.input_ids.length), false);
    out.push(...compare(`${c.name}/step0`, step0, c.decoder_step0.outputs));
    const step1 = await step(c.decoder_step1_cached, pastsFrom(step0), true);
    out.push(...compare(`${c.name}/step1`, step1, c.decoder_step1_cached.outputs));
  }
  return out;
}

async function runCases(model: PreTrainedModel, fixture: FixtureCases, decoderInput: DecoderInput): Promise<OutputComparison[]> {
  if (fixture.kind === 'encoder') return runEncoder(model, fixture.cases);
  if (fixture.kind === 'decoder') return runDecoder(model, fixture.cases);
  return runSeq2Seq(model, fixture.cases, decoderInput);
}

async function withModel<T>(id: string, device: Device, dtype: ModelDType, use: (model: PreTrainedModel) => Promise<T>): Promise<T> {
  const model = await AutoModel.from_pretrained(id, { device, dtype });
  try {
    return await use(model);
  } finally {
    await model.dispose();
  }
}

/**
 * Builds the variant from the fp32 graphs in this page and stores it in the browser store under
 * the name the Hub gives that variant, as an application would for a repository that has only fp32.
 */
async function storeVariantBuiltHere(fixture: FixtureCases, dtype: Dtype): Promise<void> {
  for (const file of fixture.files) {
    const fp32 = (await getModelFile(fixture.name, file))!;
    const variantFile = file.replace(/\.onnx$/, `${DTYPE_SUFFIX[dtype]}.onnx`);
    const target = resolveModelFile(fixture.name, variantFile);
    await cache.put({ model: target.model, revision: target.revision, file: target.file, url: target.remoteUrl }, quantize(fp32, { dtype }));
  }
}

function errorSummary(error: unknown): VariantReport['error'] {
  const e = error as Error & { code?: string; hint?: string };
  return { name: e.name, code: e.code, message: e.message, hint: e.hint };
}

async function measureVariant(fixture: FixtureCases, device: Device, dtype: Dtype, fp32: OutputComparison[]): Promise<VariantReport> {
  const report: VariantReport = { dtype, loaded: '', minCosine: Number.NaN, argmax: { agree: 0, total: 0, ties: 0 }, compared: 0 };
  try {
    return await withModel(fixture.name, device, dtype, async (model) => {
      report.loaded = Object.entries(model.sessions).map(([name, s]) => `${name}: ${s.device} ${s.dtype}`).join(', ');
      const results = await runCases(model, fixture, 'own-encoder');
      let minCosine = Infinity;
      results.forEach((c, i) => {
        const expected = referenceValues(c, fp32[i]);
        minCosine = Math.min(minCosine, maskedCosine(c, expected));
        const a = argmaxAgreement(c, expected);
        report.argmax = { agree: report.argmax.agree + a.agree, total: report.argmax.total + a.total, ties: report.argmax.ties + a.ties };
      });
      return { ...report, minCosine, compared: results.length };
    });
  } catch (error) {
    // A variant that fails to load or to run is reported, and the next dtype still gets measured.
    return { ...report, error: errorSummary(error) };
  }
}

/** The fp32 run (checked against the goldens), then each variant against it and the goldens. */
async function checkVariants(fixture: FixtureCases, device: Device, dtypes: Dtype[], source: VariantSource): Promise<FixtureReport> {
  env.localModelPath = source === 'served' ? SERVED_VARIANTS : FIXTURES;
  const fp32 = await withModel(fixture.name, device, 'fp32', (model) => runCases(model, fixture, 'golden-encoder'));
  const fp32Problems = fp32.flatMap((c) => tensorProblems({ dims: c.dims, data: c.actual }, c.golden, FP32_TOLERANCE, `${c.where} ${c.output}`));
  const variants: VariantReport[] = [];
  for (const dtype of dtypes) {
    if (source === 'page') await storeVariantBuiltHere(fixture, dtype);
    variants.push(await measureVariant(fixture, device, dtype, fp32));
  }
  return { fp32Problems, variants };
}

async function gpuFeatures(): Promise<string[] | null> {
  const adapter = await requestAdapter();
  return adapter ? [...adapter.features] : null;
}

const api = { checkVariants, gpuFeatures };
export type VariantsApi = typeof api;
Object.assign(globalThis, { variants: api });
document.getElementById('log')!.textContent = 'ready';
