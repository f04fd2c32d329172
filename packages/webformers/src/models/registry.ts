/**
 * What each model family needs, as data: the ONNX sessions it loads and the runner that drives
 * them. Adding a family is a table entry: decoder-only families run one KV-cache graph (`model`),
 * encoder-decoder families an encoder plus a merged decoder with `use_cache_branch`.
 */
import { NotSupportedError } from '../utils/errors.js';

/** The task-specific output layer a checkpoint carries. */
export type ModelHead = 'base' | 'feature-extraction' | 'sequence-classification' | 'token-classification' | 'question-answering' | 'masked-lm' | 'causal-lm' | 'seq2seq-lm';

export type RunnerKind = 'encoder-only' | 'decoder-only' | 'encoder-decoder';

export interface ArchitectureSpec {
  /** Graph file stems under `onnx/`, one session each (`model` → `onnx/model{_suffix}.onnx`). */
  sessions: readonly string[];
  runner: RunnerKind;
  /** On WebGPU, leave session outputs on the GPU (the KV cache is fed back each step). */
  keepOutputsOnDevice?: boolean;
}

export interface HeadSpec {
  /** Outputs the graph must have for this head. */
  outputs: readonly string[];
  /**
   * Suffix of the Python class in `config.architectures` (`BertForTokenClassification`); when the
   * config names architectures and none ends with it, the checkpoint carries another head.
   */
  architectureSuffix: string | null;
}

export const HEADS: Readonly<Record<ModelHead, HeadSpec>> = {
  base: { outputs: [], architectureSuffix: null },
  'feature-extraction': { outputs: ['last_hidden_state'], architectureSuffix: null },
  'sequence-classification': { outputs: ['logits'], architectureSuffix: 'ForSequenceClassification' },
  'token-classification': { outputs: ['logits'], architectureSuffix: 'ForTokenClassification' },
  'question-answering': { outputs: ['start_logits', 'end_logits'], architectureSuffix: 'ForQuestionAnswering' },
  'masked-lm': { outputs: ['logits'], architectureSuffix: 'ForMaskedLM' },
  // Python's Auto*LM classes pick by model_type, and the class names vary (GPT2LMHeadModel, MarianMTModel).
  'causal-lm': { outputs: ['logits'], architectureSuffix: null },
  'seq2seq-lm': { outputs: ['logits'], architectureSuffix: null },
};

/** The runner a generative head needs; other heads run on encoder-only families. */
export const HEAD_RUNNER: Readonly<Partial<Record<ModelHead, RunnerKind>>> = {
  'causal-lm': 'decoder-only',
  'seq2seq-lm': 'encoder-decoder',
};

const ENCODER_ONLY: ArchitectureSpec = { sessions: ['model'], runner: 'encoder-only' };
const DECODER_ONLY: ArchitectureSpec = { sessions: ['model'], runner: 'decoder-only', keepOutputsOnDevice: true };
const ENCODER_DECODER: ArchitectureSpec = { sessions: ['encoder_model', 'decoder_model_merged'], runner: 'encoder-decoder', keepOutputsOnDevice: true };

/** Families by `config.model_type`. */
export const MODEL_FAMILIES: Readonly<Record<string, ArchitectureSpec>> = {
  bert: ENCODER_ONLY,
  distilbert: ENCODER_ONLY,
  roberta: ENCODER_ONLY,
  'xlm-roberta': ENCODER_ONLY,
  deberta: ENCODER_ONLY,
  'deberta-v2': ENCODER_ONLY,
  electra: ENCODER_ONLY,
  albert: ENCODER_ONLY,
  mobilebert: ENCODER_ONLY,
  camembert: ENCODER_ONLY,
  mpnet: ENCODER_ONLY,
  gpt2: DECODER_ONLY,
  'gpt-neo': DECODER_ONLY,
  'gpt-neox': DECODER_ONLY,
  gptj: DECODER_ONLY,
  llama: DECODER_ONLY,
  mistral: DECODER_ONLY,
  qwen2: DECODER_ONLY,
  qwen3: DECODER_ONLY,
  phi: DECODER_ONLY,
  phi3: DECODER_ONLY,
  gemma: DECODER_ONLY,
  gemma2: DECODER_ONLY,
  stablelm: DECODER_ONLY,
  olmo: DECODER_ONLY,
  granite: DECODER_ONLY,
  t5: ENCODER_DECODER,
  bart: ENCODER_DECODER,
  mbart: ENCODER_DECODER,
  marian: ENCODER_DECODER,
  m2m100: ENCODER_DECODER,
};

export function architectureOf(modelType: string): ArchitectureSpec {
  const spec = Object.hasOwn(MODEL_FAMILIES, modelType) ? MODEL_FAMILIES[modelType] : undefined;
  if (!spec) {
    throw new NotSupportedError(`Model type "${modelType}" is not supported.`, {
      hint: `Supported model types: ${Object.keys(MODEL_FAMILIES).join(', ')}.`,
    });
  }
  return spec;
}
