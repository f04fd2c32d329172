/**
 * A loaded model: its config, its ONNX sessions, and the head it was loaded for. Calling it runs
 * the family's runner: `await model({ input_ids, attention_mask, token_type_ids })` →
 * `{ logits }`, `{ start_logits, end_logits }` or `{ last_hidden_state, pooler_output? }`.
 */
import type { ModelSession } from '../backend/index.js';
import type { Tensor } from '../utils/tensor.js';
import { Callable } from '../tokenizers/callable.js';
import type { PretrainedConfig } from './config.js';
import { ModelHeadError } from './errors.js';
import { HEADS, architectureOf, type ModelHead, type RunnerKind } from './registry.js';

export type ModelInputs = Record<string, Tensor | undefined>;
export type ModelOutput = Record<string, Tensor>;

type Runner = (sessions: Readonly<Record<string, ModelSession>>, inputs: ModelInputs) => Promise<ModelOutput>;

const RUNNERS: Readonly<Record<RunnerKind, Runner>> = {
  'encoder-only': (sessions, inputs) => sessions.model.run(withoutUndefined(inputs)),
};

function withoutUndefined(inputs: ModelInputs): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(inputs).filter((e): e is [string, Tensor] => e[1] !== undefined));
}

export interface PreTrainedModel {
  (inputs: ModelInputs): Promise<ModelOutput>;
}

export class PreTrainedModel extends Callable<[ModelInputs], Promise<ModelOutput>> {
  readonly modelId: string;
  readonly config: PretrainedConfig;
  readonly head: ModelHead;
  readonly sessions: Readonly<Record<string, ModelSession>>;

  constructor(modelId: string, config: PretrainedConfig, sessions: Record<string, ModelSession>, head: ModelHead) {
    super();
    this.modelId = modelId;
    this.config = config;
    this.sessions = sessions;
    this.head = head;
    assertHeadFits(this);
  }

  /** Names of the graph inputs of the main session (what the tokenizer output should provide). */
  get inputNames(): readonly string[] {
    return Object.values(this.sessions)[0]?.inputNames ?? [];
  }

  protected _call(inputs: ModelInputs): Promise<ModelOutput> {
    return this.forward(inputs);
  }

  forward(inputs: ModelInputs): Promise<ModelOutput> {
    return RUNNERS[architectureOf(this.config.model_type).runner](this.sessions, inputs);
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
  const architectures = model.config.architectures ?? [];
  const suffix = spec.architectureSuffix;
  if (suffix && architectures.length > 0 && !architectures.some((a) => a.endsWith(suffix))) {
    throw new ModelHeadError(model.modelId, model.head, `architectures ${architectures.join(', ')}`);
  }
}
