export { Tensor } from './utils/tensor.js';
export type { DataType, TensorData } from './utils/tensor.js';
export { WebformersError, InvalidArgumentError, NotSupportedError } from './utils/errors.js';
export { env } from './env.js';
export type { FileCache, FileCacheKey } from './env.js';
export { LoadAbortedError, ModelFileError } from './hub/index.js';
export { cache, ModelStore, IdbBlobStore, MemoryBlobStore, StorageQuotaError, FileIntegrityError } from './cache/index.js';
export type { ModelStoreOptions } from './cache/index.js';
export type { HubFileOptions, ProgressCallback, ProgressInfo } from './hub/index.js';
export { cos_sim, softmax, topK, argmax, meanPool, normalizeRows } from './utils/math.js';
export { DeviceUnavailableError, ModelVariantError, InputMismatchError, SessionError } from './backend/index.js';
export type { Device, ModelDType, DTypeOption, InferenceBackend, ModelSession } from './backend/index.js';
export {
  AutoConfig,
  AutoModel,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  AutoModelForQuestionAnswering,
  AutoModelForMaskedLM,
  PreTrainedModel,
  ModelHeadError,
  ConfigError,
} from './models/index.js';
export type { PretrainedConfig, ModelLoadOptions, ModelInputs, ModelOutput } from './models/index.js';
export { pipeline, SUPPORTED_TASKS, UnknownTaskError, PipelineInputError, InputTooLongError } from './pipelines/index.js';
export type {
  PipelineTask,
  PipelineOptions,
  TextClassificationOptions,
  TokenClassificationOptions,
  QuestionAnsweringOptions,
  FillMaskOptions,
  FeatureExtractionOptions,
  ZeroShotOptions,
  LabelScore,
  TokenEntity,
  EntityGroup,
  Answer,
  FillMaskPrediction,
  ZeroShotResult,
  TextGenerationOptions,
  TextGenerationInput,
  TextGenerationOutput,
  Chat,
  Text2TextOptions,
  Text2TextOutput,
  TranslationOptions,
  GenerationCallOptions,
} from './pipelines/index.js';
export { TextGenerationPipeline, Text2TextGenerationPipeline, SummarizationPipeline, TranslationPipeline } from './pipelines/index.js';
export { generate, TextStreamer, TextIteratorStreamer, mergeGenerationConfig } from './generation/index.js';
export { AutoModelForCausalLM, AutoModelForSeq2SeqLM, GenerativeModel } from './generation/index.js';
export { MissingKVCacheError } from './models/index.js';
export type { GenerationConfig, GenerationOptions, GenerateOutput, StepModel, TextStreamerOptions } from './generation/index.js';
export { AutoTokenizer, PreTrainedTokenizer, TokenizerPipeline, TokenizerConfigError, TokenizationError, ChatTemplateError } from './tokenizers/index.js';
export type { BatchEncoding, TokenizerCallOptions, ChatMessage, EncodingData } from './tokenizers/index.js';
export type { ModelChoice, AdapterSummary, DTypeRequest } from './backend/index.js';
