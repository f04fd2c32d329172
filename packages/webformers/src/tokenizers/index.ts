/** Public names of the tokenizers layer. */
export { AutoTokenizer, loadTokenizer, type TokenizerLoadOptions } from './auto-tokenizer.js';
export { PreTrainedTokenizer, type ApplyChatTemplateOptions, type DecodeOptions, type EncodeTextOptions } from './pretrained-tokenizer.js';
export type { BatchEncoding } from './batch-encoding.js';
export type { TokenizerCallOptions } from './call-options.js';
export { ChatTemplateError, type ChatMessage, type ChatTemplateOptions } from './chat-template.js';
export { TokenizerPipeline, type EncodeInput, type EncodeOptions } from './tokenizer-pipeline.js';
export {
  TokenizationError,
  TokenizerConfigError,
  type Direction,
  type EncodingData,
  type Offsets,
  type PaddingParams,
  type TruncationParams,
  type TruncationStrategy,
} from './types.js';
