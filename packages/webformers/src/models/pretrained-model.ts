/**
 * A loaded model: its config, its ONNX sessions, and the head it was loaded for. Calling it runs
 * the family's runner: `await model({ input_ids, attention_mask, token_type_ids })` →
 * `{ logits }`, `{ start_logits, end_logits }` or `{ last_hidden_state, pooler_output? }`.
 */
import { chooseModelVariants, loadSession, ortBackend, type Device, type DTypeOption, type InferenceBackend, type ModelChoice, type ModelSession } from '../backend/index.js';
import type { HubFileOptions } from '../hub/index.js';
import { Callable } from '../tokenizers/callable.js';
import type { Tensor } from '../utils/tensor.js';
import { AutoConfig } from './auto-config.js';
import type { PretrainedConfig } from './config.js';
import { decoderForward } from './causal-lm-runner.js';
import { ModelHeadError } from './errors.js';
import { HEADS, HEAD_RUNNER, architectureOf, type ModelHead, type RunnerKind } from './registry.js';
import { seq2seqForward } from './seq2seq-runner.js';
import { withoutUndefined } from './step-io.js';

export interface ModelLoadOptions extends HubFileOptions {
  /** 'wasm' (default, as transformers.js), 'webgpu', or 'auto' (WebGPU when an adapter exists). */
  device?: Device;
  /**
   * Weight variant, for all sessions or per session; default from config.json, else fp32. 'auto'
   * takes the best variant the repository has for the device (q4f16 on WebGPU with shader-f16,
   * q4 without, q8 on wasm; see `preferredDTypes`). The outcome is `model.choice`.
   */
  dtype?: DTypeOption;
  /** Passed to the runtime as is (e.g. `graphOptimizationLevel`). */
  session_options?: Record<string, unknown>;
  /** A config already loaded (skips fetching config.json). */
  config?: PretrainedConfig;
  /** The runtime to use; default onnxruntime-web. Tests and future backends plug in here. */
  backend?: InferenceBackend;
}

export type ModelInputs = Record<string, Tensor | undefined>;
export type ModelOutput = Record<string, Tensor>;

type Runner = (sessions: Readonly<Record<string, ModelSession>>, inputs: ModelInputs, config: PretrainedConfig) => Promise<ModelOutput>;

const RUNNERS: Readonly<Record<RunnerKind, Runner>> = {
  'encoder-only': (sessions, inputs) => sessions.model.run(withoutUndefined(inputs)),
  'decoder-only': decoderForward,
  'encoder-decoder': seq2seqForward,
};

/** The constructor `load` calls, so that subclasses (models that generate) load as themselves. */
export type PreTrainedModelClass<M extends PreTrainedModel> = new (modelId: string, config: PretrainedConfig, sessions: Record<string, ModelSession>, head: ModelHead) => M;

export interface PreTrainedModel {
  (inputs: ModelInputs): Promise<ModelOutput>;
}

export class PreTrainedModel extends Callable<[ModelInputs], Promise<ModelOutput>> {
  readonly modelId: string;
  readonly config: PretrainedConfig;
  readonly head: ModelHead;
  readonly sessions: Readonly<Record<string, ModelSession>>;
  /** The device and dtypes `load` chose, and why; undefined for a model built from sessions directly. */
  choice: ModelChoice | undefined;
  /** The runtime that started the sessions (`load`'s `backend` option); graphs built later run on it too. */
  backend: InferenceBackend = ortBackend;

  constructor(modelId: string, config: PretrainedConfig, sessions: Record<string, ModelSession>, head: ModelHead) {
    super();
    this.modelId = modelId;
    this.config = config;
    this.sessions = sessions;
    this.head = head;
    assertHeadFits(this);
  }

  /**
   * Loads a model for `head`: config → family table → device and dtype per session →
   * sessions → checked against the head (sessions are released when the check fails).
   */
  static async load<M extends PreTrainedModel>(this: PreTrainedModelClass<M>, modelId: string, head: ModelHead, options: ModelLoadOptions = {}): Promise<M> {
    const { device = 'wasm', dtype, session_options, config: given, backend = ortBackend, ...hub } = options;
    // wasm is known to work before any file is read: its runtime starts now, while config.json, the
    // variant choice and the weights load. WebGPU waits for loadSession, after the adapter check, so a
    // browser without one never downloads the 28 MB WebGPU build for nothing; 'auto' waits for the choice.
    if (device === 'wasm') backend.warmUp?.(device);
    const config = given ?? (await AutoConfig.from_pretrained(modelId, hub));
    const architecture = architectureOf(config.model_type);
    const choice = await chooseModelVariants(backend, modelId, architecture.sessions, {
      device, dtype, configDefault: config['transformers.js_config']?.dtype, revision: hub.revision, local_files_only: hub.local_files_only,
    });
    hub.progress_callback?.({ status: 'choice', name: modelId, ...choice });
    const entries = await Promise.all(
      architecture.sessions.map(async (name) => {
        const session = await loadSession(backend, modelId, name, {
          ...hub, device: choice.device, dtype: choice.dtype[name], session_options, keepOutputsOnDevice: architecture.keepOutputsOnDevice,
        });
        return [name, session] as const;
      }),
    );
    try {
      const model = new this(modelId, config, Object.fromEntries(entries), head);
      model.choice = choice;
      model.backend = backend;
      return model;
    } catch (error) {
      await Promise.all(entries.map(([, s]) => s.release()));
      throw error;
    }
  }

  /** Loads whatever head the checkpoint has (Python's and transformers.js's base-class loader). */
  static from_pretrained(modelId: string, options?: ModelLoadOptions): Promise<PreTrainedModel> {
    return PreTrainedModel.load(modelId, 'base', options);
  }

  /** Names of the graph inputs of the main session (what the tokenizer output should provide). */
  get inputNames(): readonly string[] {
    return Object.values(this.sessions)[0]?.inputNames ?? [];
  }

  protected _call(inputs: ModelInputs): Promise<ModelOutput> {
    return this.forward(inputs);
  }

  forward(inputs: ModelInputs): Promise<ModelOutput> {
    return RUNNERS[architectureOf(this.config.model_type).runner](this.sessions, inputs, this.config);
  }

  /** Frees every session; the model cannot run afterwards. */
  async dispose(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((s) => s.release()));
  }
}

function assertHeadFits(model: PreTrainedModel): void {
  const spec = HEADS[model.head];
  const outputs = Object.values(model.sessions).flatMap((s) => s.outputNames);
  const missing = spec.outputs.filter((name) => !outputs.includes(name));
  if (missing.length > 0) throw new ModelHeadError(model.modelId, model.head, `outputs ${outputs.join(', ')}`);
  const runner = HEAD_RUNNER[model.head];
  const family = architectureOf(model.config.model_type);
  if (runner && family.runner !== runner) throw new ModelHeadError(model.modelId, model.head, `a ${family.runner} architecture (${model.config.model_type})`);
  const architectures = model.config.architectures ?? [];
  const suffix = spec.architectureSuffix;
  if (suffix && architectures.length > 0 && !architectures.some((a) => a.endsWith(suffix))) {
    throw new ModelHeadError(model.modelId, model.head, `architectures ${architectures.join(', ')}`);
  }
}
