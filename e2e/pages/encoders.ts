// Runs the encoder fixtures in the page through the public API (AutoModel*, pipeline()) and
// compares with the goldens the spec reads from disk and passes in, using the same comparisons
// as the vitest suites. Every function returns what differs (empty = match) and how much it checked.
import {
  AutoModel,
  AutoModelForMaskedLM,
  AutoModelForQuestionAnswering,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  env,
  pipeline,
  type Device,
  type ModelDType,
  type PipelineTask,
  type PreTrainedModel,
} from '../../packages/webformers/src/index.js';
import { requestAdapter } from '../../packages/webformers/src/backend/index.js';
import {
  allCloseProblems,
  answerProblems,
  entityProblems,
  fillMaskProblems,
  int64,
  labelScoreProblems,
  tensorProblems,
  zeroShotProblems,
  type AnswerLike,
  type EntityLike,
  type FillMaskLike,
  type GoldenTensor,
  type LabelScoreLike,
  type TensorLike,
  type ZeroShotLike,
} from '../../packages/webformers/test/support/golden-compare.js';

const TOL = 1e-4;

const params = new URLSearchParams(location.search);
env.localModelPath = '/packages/webformers/test/fixtures/models/';
env.allowLocalModels = true;
env.allowRemoteModels = false;
// ORT reads its thread setting once per page, so each thread scenario is a page load with ?threads=N.
if (params.has('threads')) env.backends.onnx.wasm.numThreads = Number(params.get('threads'));

export interface CheckReport {
  /** The device the sessions run on, as the library reports it ('auto' resolved). */
  device: string;
  compared: number;
  problems: string[];
}

export interface OutputCase { name: string; input_ids: number[][]; attention_mask: number[][]; token_type_ids: number[][]; outputs: Record<string, GoldenTensor> }

const AUTO_CLASSES = {
  'sequence-classification': AutoModelForSequenceClassification,
  'token-classification': AutoModelForTokenClassification,
  'question-answering': AutoModelForQuestionAnswering,
  'masked-lm': AutoModelForMaskedLM,
  base: AutoModel,
};
export type AutoHead = keyof typeof AUTO_CLASSES;

function sessionDevice(model: PreTrainedModel): string {
  return [...new Set(Object.values(model.sessions).map((s) => s.device))].join(',');
}

/** outputs.json: raw model outputs for golden token ids. */
async function checkModelOutputs(head: AutoHead, model: string, device: Device, cases: OutputCase[]): Promise<CheckReport> {
  const loaded = await AUTO_CLASSES[head].from_pretrained(model, { device, dtype: 'fp32' });
  const problems: string[] = [];
  let compared = 0;
  try {
    for (const c of cases) {
      const out = await loaded({ input_ids: int64(c.input_ids), attention_mask: int64(c.attention_mask), token_type_ids: int64(c.token_type_ids) });
      const names = Object.keys(out).sort();
      if (JSON.stringify(names) !== JSON.stringify(Object.keys(c.outputs).sort())) problems.push(`${c.name}: outputs ${names.join(', ')}`);
      for (const [name, golden] of Object.entries(c.outputs)) {
        if (out[name]) problems.push(...tensorProblems(out[name] as unknown as TensorLike, golden, TOL, `${c.name} ${name}`));
        compared++;
      }
    }
    return { device: sessionDevice(loaded), compared, problems };
  } finally {
    await loaded.dispose();
  }
}

/** A golden pipeline case; `input` and `output` shapes depend on the task. */
export interface PipelineCase { input: any; kwargs: Record<string, any>; output: any; mean_pooled?: number[]; mean_pooled_normalized?: number[] }
/** `spans`: the golden comes from Python's fast-tokenizer path, so words and offsets are compared too. */
export type PipelineCheck = 'scores' | 'spans';

type AnyPipeline = ((...args: unknown[]) => Promise<any>) & { model: PreTrainedModel; dispose(): Promise<void> };

async function checkCase(task: PipelineTask, pipe: AnyPipeline, c: PipelineCase, check: PipelineCheck): Promise<string[]> {
  const spans = check === 'spans';
  switch (task) {
    case 'text-classification':
      return labelScoreProblems((await pipe(c.input, c.kwargs)) as LabelScoreLike[], c.output, TOL);
    case 'token-classification':
      return entityProblems((await pipe(c.input, c.kwargs)) as EntityLike[], c.output, c.input, spans, TOL);
    case 'question-answering':
      return answerProblems((await pipe(c.input.question, c.input.context, c.kwargs)) as AnswerLike | AnswerLike[], c.output, c.input.context, spans, TOL);
    case 'fill-mask':
      return fillMaskProblems((await pipe(c.input, c.kwargs)) as FillMaskLike[], c.output, TOL);
    case 'feature-extraction': {
      const embed = (options: object) => pipe(c.input, options) as Promise<TensorLike>;
      return [
        ...tensorProblems(await embed({}), c.output, TOL, 'last_hidden_state'),
        ...allCloseProblems((await embed({ pooling: 'mean' })).data, c.mean_pooled!, TOL, 'mean_pooled'),
        ...allCloseProblems((await embed({ pooling: 'mean', normalize: true })).data, c.mean_pooled_normalized!, TOL, 'mean_pooled_normalized'),
      ];
    }
    case 'zero-shot-classification': {
      const { candidate_labels, ...options } = c.kwargs;
      return zeroShotProblems((await pipe(c.input, candidate_labels, options)) as ZeroShotLike, c.output, TOL);
    }
    default:
      throw new Error(`no golden check for task ${task}`);
  }
}

/** pipeline.json / pipeline-fast.json: one pipeline, every case of one golden list. */
async function checkPipeline(task: PipelineTask, model: string, device: Device, cases: PipelineCase[], check: PipelineCheck): Promise<CheckReport> {
  const pipe = (await pipeline(task, model, { device, dtype: 'fp32' })) as unknown as AnyPipeline;
  const problems: string[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const label = `case ${i} ${JSON.stringify(c.kwargs)} ${JSON.stringify(c.input).slice(0, 50)}`;
      problems.push(...(await checkCase(task, pipe, c, check)).map((p) => `${label}: ${p}`));
    }
    return { device: sessionDevice(pipe.model), compared: cases.length, problems };
  } finally {
    await pipe.dispose();
  }
}

/** What the library's error says when loading fails (or null when it loads). */
async function loadError(task: PipelineTask, model: string, device: Device, dtype: ModelDType) {
  try {
    const pipe = await pipeline(task, model, { device, dtype });
    await pipe.dispose();
    return null;
  } catch (error) {
    const e = error as Error & { code?: string; hint?: string };
    return { name: e.name, code: e.code, message: e.message, hint: e.hint };
  }
}

/** Which device `device: 'auto'` settles on, as the loaded sessions report it. */
async function autoDevice(task: PipelineTask, model: string): Promise<string> {
  const pipe = await pipeline(task, model, { device: 'auto', dtype: 'fp32' });
  try {
    return sessionDevice(pipe.model);
  } finally {
    await pipe.dispose();
  }
}

async function gpuAdapter() {
  const adapter = await requestAdapter();
  return adapter ? { architecture: adapter.info?.architecture ?? '', features: [...adapter.features] } : null;
}

const encoders = { checkModelOutputs, checkPipeline, loadError, autoDevice, gpuAdapter, crossOriginIsolated: () => globalThis.crossOriginIsolated };
export type EncodersApi = typeof encoders;
Object.assign(globalThis, { encoders });
document.getElementById('log')!.textContent = 'ready';
