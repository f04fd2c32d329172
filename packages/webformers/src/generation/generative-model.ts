/**
 * Models that generate text: a `PreTrainedModel` of a decoder-only or encoder-decoder family with
 * `generate()`, and the Auto classes that load them. This sits in the generation layer because
 * `generate()` is this layer's loop; the models layer supplies the step model and the model's
 * own generation settings (generation_config.json, else config.json).
 */
import type { ModelSession } from '../backend/index.js';
import {
  PreTrainedModel, loadGenerationDefaults, generationDefaultsFromConfig, stepModelFor,
  type GenerationDefaults, type GenerationStepModel, type ModelHead, type ModelLoadOptions, type PretrainedConfig,
} from '../models/index.js';
import type { Tensor } from '../utils/tensor.js';
import { generate, type GenerateOutput, type GenerateRequest } from './generate.js';

export class GenerativeModel extends PreTrainedModel {
  /** The model's generation defaults; call options override them. Replace or edit to change every call. */
  generation_config: GenerationDefaults;
  readonly #stepModel: GenerationStepModel;
  // The step model holds one call's cache: calls on one model run one after the other.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(modelId: string, config: PretrainedConfig, sessions: Record<string, ModelSession>, head: ModelHead) {
    super(modelId, config, sessions, head);
    this.#stepModel = stepModelFor(this);
    this.generation_config = generationDefaultsFromConfig(config);
  }

  /**
   * Python's / transformers.js's `model.generate({ input_ids, attention_mask, ...options })`: the
   * sequences as an int64 Tensor, or `{ sequences, scores, sequences_scores }` with
   * `return_dict_in_generate`.
   */
  generate(request: GenerateRequest): Promise<Tensor | GenerateOutput> {
    const result = this.#queue.then(() => generate(this.#stepModel, request, this.generation_config));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  override async dispose(): Promise<void> {
    await this.#queue;
    this.#stepModel.reset();
    await super.dispose();
  }
}

/** Loads a model for `head` ('causal-lm' or 'seq2seq-lm') with its generation defaults. */
export async function loadGenerativeModel(modelId: string, head: ModelHead, options: ModelLoadOptions = {}): Promise<GenerativeModel> {
  const { revision, local_files_only, progress_callback } = options;
  const model = await GenerativeModel.load(modelId, head, options);
  try {
    model.generation_config = await loadGenerationDefaults(modelId, model.config, { revision, local_files_only, progress_callback });
  } catch (error) {
    await model.dispose();
    throw error;
  }
  return model;
}

export const AutoModelForCausalLM = {
  from_pretrained: (modelId: string, options?: ModelLoadOptions) => loadGenerativeModel(modelId, 'causal-lm', options),
};

export const AutoModelForSeq2SeqLM = {
  from_pretrained: (modelId: string, options?: ModelLoadOptions) => loadGenerativeModel(modelId, 'seq2seq-lm', options),
};

