/**
 * What `PreTrainedTokenizer` reads from tokenizer_config.json, with Python transformers' defaults:
 * special tokens (plain strings or serialized AddedToken objects), `model_max_length` (the 1e30
 * "no limit" sentinel becomes Infinity), padding / truncation sides, `model_input_names`, and
 * `clean_up_tokenization_spaces`.
 */
import { TokenizerConfigError, type Direction, type Json } from './types.js';

export const SPECIAL_TOKEN_NAMES = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;
export type SpecialTokenName = (typeof SPECIAL_TOKEN_NAMES)[number];

/** Python stores "unlimited" as int(1e30); anything this large means no limit. */
const UNLIMITED_ABOVE = 1e20;

/**
 * Tokenizer classes whose Python `model_input_names` leave out token_type_ids. Python's base class
 * (and so any class not overriding it, BERT-like ones included) lists input_ids, token_type_ids, attention_mask.
 */
const NO_TOKEN_TYPE_IDS = new Set([
  'GPT2Tokenizer', 'GPTNeoXTokenizer', 'CodeGenTokenizer', 'RobertaTokenizer', 'BartTokenizer', 'LEDTokenizer',
  'T5Tokenizer', 'MT5Tokenizer', 'LlamaTokenizer', 'CodeLlamaTokenizer', 'GemmaTokenizer', 'Qwen2Tokenizer',
  'BloomTokenizer', 'DistilBertTokenizer', 'WhisperTokenizer', 'MarianTokenizer', 'MBartTokenizer', 'MBart50Tokenizer',
  'PegasusTokenizer', 'XGLMTokenizer', 'NllbTokenizer', 'M2M100Tokenizer', 'BlenderbotTokenizer', 'CLIPTokenizer',
  'CohereTokenizer', 'XLMRobertaTokenizer', 'CamembertTokenizer', 'LongformerTokenizer',
  'MPNetTokenizer', 'SpeechT5Tokenizer',
]);

export interface TokenizerSettings {
  specialTokens: Record<SpecialTokenName, string | null>;
  /** Extra special tokens (`additional_special_tokens`), as strings. */
  additionalSpecialTokens: string[];
  modelMaxLength: number;
  paddingSide: Direction;
  truncationSide: Direction;
  modelInputNames: string[];
  cleanUpTokenizationSpaces: boolean;
  chatTemplate: string | Record<string, string> | null;
}

/** A special token as written in tokenizer_config.json: a string, or `{ "content": ..., ... }`. */
function tokenContent(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && typeof (value as Json).content === 'string') return (value as Json).content as string;
  throw new TokenizerConfigError(`tokenizer_config ${field}`, `expected a string or an AddedToken object, got ${JSON.stringify(value)}`);
}

function side(value: unknown, field: string): Direction {
  if (value === undefined || value === null || value === 'right') return 'right';
  if (value === 'left') return 'left';
  throw new TokenizerConfigError(`tokenizer_config ${field}`, `must be "left" or "right", got ${JSON.stringify(value)}`);
}

function readChatTemplate(value: unknown): TokenizerSettings['chatTemplate'] {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const named: Record<string, string> = {};
    for (const t of value as Json[]) {
      if (typeof t?.name !== 'string' || typeof t?.template !== 'string') {
        throw new TokenizerConfigError('tokenizer_config chat_template', 'a list of templates needs {"name", "template"} entries');
      }
      named[t.name] = t.template;
    }
    return named;
  }
  throw new TokenizerConfigError('tokenizer_config chat_template', `expected a string or a list, got ${typeof value}`);
}

function modelInputNames(config: Json): string[] {
  if (Array.isArray(config.model_input_names)) return config.model_input_names.map(String);
  const cls = typeof config.tokenizer_class === 'string' ? config.tokenizer_class.replace(/Fast$/, '') : '';
  return NO_TOKEN_TYPE_IDS.has(cls) ? ['input_ids', 'attention_mask'] : ['input_ids', 'token_type_ids', 'attention_mask'];
}

export function readTokenizerSettings(config: Json): TokenizerSettings {
  const specialTokens = Object.fromEntries(SPECIAL_TOKEN_NAMES.map((n) => [n, tokenContent(config[n], n)])) as Record<SpecialTokenName, string | null>;
  const additional = Array.isArray(config.additional_special_tokens) ? config.additional_special_tokens : [];
  const maxLength = config.model_max_length;
  return {
    specialTokens,
    additionalSpecialTokens: additional.map((t, i) => tokenContent(t, `additional_special_tokens[${i}]`) ?? ''),
    modelMaxLength: typeof maxLength === 'number' && maxLength > 0 && maxLength < UNLIMITED_ABOVE ? maxLength : Infinity,
    paddingSide: side(config.padding_side, 'padding_side'),
    truncationSide: side(config.truncation_side, 'truncation_side'),
    modelInputNames: modelInputNames(config),
    cleanUpTokenizationSpaces: config.clean_up_tokenization_spaces === true,
    chatTemplate: readChatTemplate(config.chat_template),
  };
}
