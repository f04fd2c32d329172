/**
 * The one place the demo touches webformers' entry point. It runs everything in the library's
 * module Worker (`webformers/worker`), so the page never blocks while models load or run;
 * swapping the import for the in-thread `webformers` API would change this file only.
 */
import { AutoTokenizer, cache, env, pipeline, type RemoteCache, type RemotePipeline, type RemoteTokenizer } from 'webformers/worker';
import type { ProgressInfo } from 'webformers';
import { embeddedModelsURL, isEmbedded } from './catalogue.js';
import type { LoadChoice } from './device-choice.js';

export const RUNTIME_KIND = 'Web Worker (webformers/worker)';

export type EncoderTask = 'sentiment-analysis' | 'ner' | 'question-answering';

export interface GenerationCallOptions {
  max_new_tokens?: number;
  do_sample?: boolean;
  temperature?: number;
  top_k?: number;
  top_p?: number;
  num_beams?: number;
  repetition_penalty?: number;
  signal?: AbortSignal;
}
export type ChatTurn = { role: 'system' | 'user' | 'assistant'; content: string };
export interface GeneratedText {
  generated_text: string | ChatTurn[];
}

/**
 * `pipeline('text-generation')` as the worker serves it. Declared here because the library's
 * task table is typed per task and this build may not list text generation yet.
 */
export interface TextGenerationPipeline {
  (input: string | ChatTurn[], options?: GenerationCallOptions): Promise<GeneratedText[]>;
  stream(input: string | ChatTurn[], options?: GenerationCallOptions): AsyncIterableIterator<string>;
  readonly modelId: string;
  dispose(): Promise<void>;
}

export interface PipelineTypes {
  'sentiment-analysis': RemotePipeline<'sentiment-analysis'>;
  ner: RemotePipeline<'ner'>;
  'question-answering': RemotePipeline<'question-answering'>;
  'text-generation': TextGenerationPipeline;
}
export type DemoTask = keyof PipelineTypes;

const HOST_KEY = 'webformers-demo:remote-host';

/** Where Hub models come from (a mirror may replace the Hub); kept across visits. */
export const hubSettings = {
  get remoteHost(): string {
    return localStorage.getItem(HOST_KEY) ?? env.remoteHost;
  },
  set remoteHost(host: string) {
    localStorage.setItem(HOST_KEY, host.endsWith('/') ? host : `${host}/`);
  },
};

/**
 * Loads a pipeline in the worker. The worker reads `env` with each call, so the embedded
 * models' local folder is switched on for their ids only: for Hub ids a probe of the app's
 * own `/models/org/name/...` would be a wasted request per file.
 */
export async function loadPipeline<T extends DemoTask>(task: T, model: string, choice: LoadChoice, onProgress: (info: ProgressInfo) => void): Promise<PipelineTypes[T]> {
  configureFor(model);
  const options = { device: choice.device, dtype: choice.dtype, progress_callback: onProgress };
  const open = pipeline as unknown as (task: string, model: string, options: object) => Promise<PipelineTypes[T]>;
  return open(task, model, options);
}

/** The model's tokenizer alone (the generation view counts generated tokens with it). */
export function loadTokenizer(model: string): Promise<RemoteTokenizer> {
  configureFor(model);
  return AutoTokenizer.from_pretrained(model);
}

function configureFor(model: string): void {
  env.allowLocalModels = isEmbedded(model);
  env.localModelPath = embeddedModelsURL();
  env.remoteHost = hubSettings.remoteHost;
}

export const storage = cache;
export type StoredModel = Awaited<ReturnType<RemoteCache['list']>>[number];
export type StorageFigures = Awaited<ReturnType<RemoteCache['usage']>>;
