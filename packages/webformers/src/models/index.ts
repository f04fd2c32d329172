export { AutoConfig } from './auto-config.js';
export { ConfigError, labelsOf, validateConfig, type PretrainedConfig } from './config.js';
export { ModelHeadError } from './errors.js';
export { PreTrainedModel, type ModelInputs, type ModelOutput } from './pretrained-model.js';
export { HEADS, MODEL_FAMILIES, architectureOf, type ModelHead, type ArchitectureSpec, type HeadSpec, type RunnerKind } from './registry.js';
export {
  AutoModel,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  AutoModelForQuestionAnswering,
  AutoModelForMaskedLM,
  loadPretrainedModel,
  type ModelLoadOptions,
} from './load-model.js';
