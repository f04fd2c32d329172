/**
 * The Auto classes: `from_pretrained` for each head, all loading through `PreTrainedModel.load`
 * (the class is chosen by the family table, not by subclasses).
 */
import { PreTrainedModel, type ModelLoadOptions } from './pretrained-model.js';
import type { ModelHead } from './registry.js';

export type { ModelLoadOptions };

export function loadPretrainedModel(modelId: string, head: ModelHead, options: ModelLoadOptions = {}): Promise<PreTrainedModel> {
  return PreTrainedModel.load(modelId, head, options);
}

function autoClass(head: ModelHead) {
  return {
    from_pretrained: (modelId: string, options?: ModelLoadOptions) => loadPretrainedModel(modelId, head, options),
  };
}

export const AutoModel = autoClass('base');
export const AutoModelForSequenceClassification = autoClass('sequence-classification');
export const AutoModelForTokenClassification = autoClass('token-classification');
export const AutoModelForQuestionAnswering = autoClass('question-answering');
export const AutoModelForMaskedLM = autoClass('masked-lm');
