/**
 * The step model (what the generation loop drives) of a loaded model, picked by its family's
 * runner kind.
 */
import { NotSupportedError } from '../utils/errors.js';
import { CausalLMStepModel } from './causal-lm-runner.js';
import type { PreTrainedModel } from './pretrained-model.js';
import { architectureOf } from './registry.js';
import { Seq2SeqStepModel } from './seq2seq-runner.js';

export type GenerationStepModel = CausalLMStepModel | Seq2SeqStepModel;

export function stepModelFor(model: PreTrainedModel): GenerationStepModel {
  const { runner } = architectureOf(model.config.model_type);
  const { sessions, modelId, config, backend } = model;
  if (runner === 'decoder-only') return new CausalLMStepModel(modelId, config, sessions.model, backend);
  if (runner === 'encoder-decoder') return new Seq2SeqStepModel(modelId, config, sessions.encoder_model, sessions.decoder_model_merged, backend);
  throw new NotSupportedError(`Model "${modelId}" (${config.model_type}) is an encoder-only model and cannot generate text.`, {
    hint: 'Use a decoder-only (e.g. gpt2, llama) or encoder-decoder (e.g. t5, bart) model for generation.',
  });
}
