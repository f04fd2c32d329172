export { pipeline, SUPPORTED_TASKS, type PipelineTask, type PipelineTypes, type PipelineOptions } from './pipeline.js';
export { Pipeline } from './pipeline-base.js';
export { UnknownTaskError, PipelineInputError, InputTooLongError } from './errors.js';
export { TextClassificationPipeline, type TextClassificationOptions, type TextClassificationInput, type TextPair, type LabelScore, type FunctionToApply } from './text-classification.js';
export { TokenClassificationPipeline, type TokenClassificationOptions, type TokenClassificationOutput, type AggregationStrategy, type EntityGroup, type TokenEntity } from './token-classification.js';
export { QuestionAnsweringPipeline, type QuestionAnsweringOptions, type Answer } from './question-answering.js';
export { FillMaskPipeline, type FillMaskOptions, type FillMaskPrediction } from './fill-mask.js';
export { FeatureExtractionPipeline, type FeatureExtractionOptions, type Pooling } from './feature-extraction.js';
export { ZeroShotClassificationPipeline, type ZeroShotOptions, type ZeroShotResult } from './zero-shot-classification.js';
