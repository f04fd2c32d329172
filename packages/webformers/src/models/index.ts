export { AutoConfig } from './auto-config.js';
export { ConfigError, labelsOf, validateConfig, type PretrainedConfig } from './config.js';
export { ModelHeadError } from './errors.js';
export { PreTrainedModel, type ModelInputs, type ModelOutput } from './pretrained-model.js';
export { HEADS, HEAD_RUNNER, MODEL_FAMILIES, architectureOf, type ModelHead, type ArchitectureSpec, type HeadSpec, type RunnerKind } from './registry.js';
export type { PreTrainedModelClass } from './pretrained-model.js';
export { CausalLMStepModel } from './causal-lm-runner.js';
export { Seq2SeqStepModel } from './seq2seq-runner.js';
export { stepModelFor, type GenerationStepModel } from './step-models.js';
export { MissingKVCacheError, CacheShapeError } from './kv-cache.js';
export { generationDefaultsFromConfig, loadGenerationDefaults, type GenerationDefaults } from './generation-defaults.js';
export {
  AutoModel,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  AutoModelForQuestionAnswering,
  AutoModelForMaskedLM,
  loadPretrainedModel,
  type ModelLoadOptions,
} from './load-model.js';
