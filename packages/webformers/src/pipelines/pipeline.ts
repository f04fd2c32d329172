/**
 * `pipeline(task, model?, options)`: a table of tasks (head the model must carry, default
 * model, task class), then model and tokenizer loaded in parallel, then a `ready` progress
 * event. Default models are the ones transformers.js uses, so examples port unchanged.
 */
import { loadGenerativeModel, type GenerativeModel } from '../generation/index.js';
import type { HubFileOptions } from '../hub/index.js';
import { loadPretrainedModel, type ModelLoadOptions } from '../models/load-model.js';
import type { PreTrainedModel } from '../models/pretrained-model.js';
import type { ModelHead } from '../models/registry.js';
import { loadTokenizer } from '../tokenizers/index.js';
import { UnknownTaskError } from './errors.js';
import { FeatureExtractionPipeline } from './feature-extraction.js';
import { FillMaskPipeline } from './fill-mask.js';
import { QuestionAnsweringPipeline } from './question-answering.js';
import { SummarizationPipeline } from './summarization.js';
import { Text2TextGenerationPipeline } from './text2text-generation.js';
import { TextGenerationPipeline } from './text-generation.js';
import { TranslationPipeline } from './translation.js';
import { TextClassificationPipeline } from './text-classification.js';
import { TokenClassificationPipeline } from './token-classification.js';
import type { PipelineTokenizer, TokenizerTraits } from './types.js';
import { ZeroShotClassificationPipeline } from './zero-shot-classification.js';

/** Pipeline class per task name (aliases included). */
export interface PipelineTypes {
  'text-classification': TextClassificationPipeline;
  'sentiment-analysis': TextClassificationPipeline;
  'token-classification': TokenClassificationPipeline;
  ner: TokenClassificationPipeline;
  'question-answering': QuestionAnsweringPipeline;
  'fill-mask': FillMaskPipeline;
  'feature-extraction': FeatureExtractionPipeline;
  'zero-shot-classification': ZeroShotClassificationPipeline;
  'text-generation': TextGenerationPipeline;
  'text2text-generation': Text2TextGenerationPipeline;
  summarization: SummarizationPipeline;
  translation: TranslationPipeline;
}
export type PipelineTask = keyof PipelineTypes;

/** Model loading options (device, dtype, revision, local_files_only, progress_callback, session_options). */
export type PipelineOptions = ModelLoadOptions;

interface TaskSpec {
  head: ModelHead;
  defaultModel: string;
  /** How the model loads; default `loadPretrainedModel` for `head`. */
  load?: (modelId: string, options: PipelineOptions) => Promise<PreTrainedModel>;
  create(task: string, model: PreTrainedModel, tokenizer: PipelineTokenizer, traits: TokenizerTraits): PipelineTypes[PipelineTask];
}

/** A generating task: its model loads with generate() and its generation defaults. */
function generationTask(head: 'causal-lm' | 'seq2seq-lm', defaultModel: string, create: (task: string, model: GenerativeModel, tokenizer: PipelineTokenizer) => PipelineTypes[PipelineTask]): TaskSpec {
  return {
    head,
    defaultModel,
    load: (modelId, options) => loadGenerativeModel(modelId, head, options),
    create: (task, model, tokenizer) => create(task, model as GenerativeModel, tokenizer),
  };
}

const TEXT_CLASSIFICATION: TaskSpec = {
  head: 'sequence-classification',
  defaultModel: 'Xenova/distilbert-base-uncased-finetuned-sst-2-english',
  create: (...args) => new TextClassificationPipeline(...args),
};
const TOKEN_CLASSIFICATION: TaskSpec = {
  head: 'token-classification',
  defaultModel: 'Xenova/bert-base-multilingual-cased-ner-hrl',
  create: (...args) => new TokenClassificationPipeline(...args),
};

const TASKS: Readonly<Record<PipelineTask, TaskSpec>> = {
  'text-classification': TEXT_CLASSIFICATION,
  'sentiment-analysis': TEXT_CLASSIFICATION,
  'token-classification': TOKEN_CLASSIFICATION,
  ner: TOKEN_CLASSIFICATION,
  'question-answering': {
    head: 'question-answering',
    defaultModel: 'Xenova/distilbert-base-cased-distilled-squad',
    create: (...args) => new QuestionAnsweringPipeline(...args),
  },
  'fill-mask': {
    head: 'masked-lm',
    defaultModel: 'Xenova/bert-base-uncased',
    create: (...args) => new FillMaskPipeline(...args),
  },
  'feature-extraction': {
    head: 'feature-extraction',
    defaultModel: 'Xenova/all-MiniLM-L6-v2',
    create: (...args) => new FeatureExtractionPipeline(...args),
  },
  'zero-shot-classification': {
    head: 'sequence-classification',
    defaultModel: 'Xenova/distilbert-base-uncased-mnli',
    create: (...args) => new ZeroShotClassificationPipeline(...args),
  },
  'text-generation': generationTask('causal-lm', 'Xenova/gpt2', (...args) => new TextGenerationPipeline(...args)),
  'text2text-generation': generationTask('seq2seq-lm', 'Xenova/flan-t5-small', (...args) => new Text2TextGenerationPipeline(...args)),
  summarization: generationTask('seq2seq-lm', 'Xenova/distilbart-cnn-6-6', (...args) => new SummarizationPipeline(...args)),
  translation: generationTask('seq2seq-lm', 'Xenova/t5-small', (...args) => new TranslationPipeline(...args)),
};

export const SUPPORTED_TASKS = Object.keys(TASKS) as PipelineTask[];

export async function pipeline<T extends PipelineTask>(task: T, model?: string | null, options: PipelineOptions = {}): Promise<PipelineTypes[T]> {
  if (!Object.hasOwn(TASKS, task)) throw new UnknownTaskError(task, SUPPORTED_TASKS);
  const spec = TASKS[task];
  const modelId = model ?? spec.defaultModel;
  const { revision, local_files_only, progress_callback, signal } = options;
  const hub = { revision, local_files_only, progress_callback, signal };
  const loadModel = spec.load ?? ((id: string, opts: PipelineOptions) => loadPretrainedModel(id, spec.head, opts));
  const [loadedModel, tokenizer] = await Promise.allSettled([loadModel(modelId, options), loadTokenizerWithTraits(modelId, hub)]);
  if (loadedModel.status === 'rejected' || tokenizer.status === 'rejected') {
    if (loadedModel.status === 'fulfilled') await loadedModel.value.dispose();
    throw loadedModel.status === 'rejected' ? loadedModel.reason : (tokenizer as PromiseRejectedResult).reason;
  }
  let instance: PipelineTypes[PipelineTask];
  try {
    instance = spec.create(task, loadedModel.value, tokenizer.value.tokenizer, tokenizer.value.traits);
  } catch (error) {
    await loadedModel.value.dispose();
    throw error;
  }
  progress_callback?.({ status: 'ready', task, model: modelId });
  return instance as PipelineTypes[T];
}

/** The tokenizer, plus what token classification needs to know of its model. */
async function loadTokenizerWithTraits(modelId: string, hub: HubFileOptions): Promise<{ tokenizer: PipelineTokenizer; traits: TokenizerTraits }> {
  const tokenizer = await loadTokenizer(modelId, hub);
  const prefix = tokenizer.pipeline.model.continuingSubwordPrefix;
  return { tokenizer, traits: { continuingSubwordPrefix: prefix ? prefix : null } };
}
