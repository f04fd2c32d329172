/**
 * What each model family needs, as data: the ONNX sessions it loads and the runner that drives
 * them. Adding a family is a table entry; decoder-only and encoder-decoder families add their
 * own `runner` kinds and session names (`decoder_model_merged`, `encoder_model`) here.
 */
import { NotSupportedError } from '../utils/errors.js';

/** The task-specific output layer a checkpoint carries. */
export type ModelHead = 'base' | 'feature-extraction' | 'sequence-classification' | 'token-classification' | 'question-answering' | 'masked-lm';

export type RunnerKind = 'encoder-only';

export interface ArchitectureSpec {
  /** Graph file stems under `onnx/`, one session each (`model` → `onnx/model{_suffix}.onnx`). */
  sessions: readonly string[];
  runner: RunnerKind;
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
};

const ENCODER_ONLY: ArchitectureSpec = { sessions: ['model'], runner: 'encoder-only' };

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
