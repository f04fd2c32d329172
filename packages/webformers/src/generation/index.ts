export type { StepModel, StepInputs, Streamer, StreamDecoder, TokenRows } from './types.js';
export {
  DEFAULT_GENERATION_CONFIG, mergeGenerationConfig, validateGenerationConfig, resolveLengths, eosTokenIds,
  type GenerationConfig, type GenerationOptions, type EarlyStopping, type LengthContext,
} from './generation-config.js';
export * from './logits-processors/index.js';
export { createRandomSource, sampleToken, greedyToken, type RandomSource } from './sampling.js';
export {
  MaxLengthCriteria, EosTokenCriteria, StopStringCriteria, AbortSignalCriteria, StoppingCriteriaList,
  type StoppingCriterion,
} from './stopping-criteria.js';
export { BeamSearchScorer, type BeamCandidate, type BeamSearchSettings } from './beam-scorer.js';
export { generate, type GenerateRequest, type GenerateOutput } from './generate.js';
export { StepOutputError } from './decoding-state.js';
export { TextStreamer, TextIteratorStreamer, type TextStreamerOptions } from './streamers.js';
export { GenerativeModel, AutoModelForCausalLM, AutoModelForSeq2SeqLM, loadGenerativeModel } from './generative-model.js';
