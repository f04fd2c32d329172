/**
 * The main-thread API of `webformers/worker`: the names of the in-thread API (`pipeline`,
 * `AutoTokenizer`, `AutoModel*` including the generating ones, `env`, `cache`), served by one shared worker that many models
 * live in. Every call answers with a promise.
 */
import { env as inThreadEnv } from '../env.js';
import type { ModelLoadOptions } from '../models/load-model.js';
import type { ModelHead } from '../models/registry.js';
import type { PipelineOptions, PipelineTask } from '../pipelines/index.js';
import type { TokenizerLoadOptions } from '../tokenizers/index.js';
import type { RemoteCache, RemoteGenerativeModel, RemoteModel, RemotePipeline, RemoteTokenizer, WorkerEnvSettings } from './protocol.js';
import { openRemoteGenerativeModel, openRemoteModel, openRemotePipeline, openRemoteTokenizer } from './remote-objects.js';
import { spawnWorker } from './spawn-worker.js';
import { WorkerConnection, type WorkerLike } from './worker-connection.js';

export interface WorkerClientOptions {
  /**
   * Where the worker script is: a built `worker-entry.js`. Default: next to this module (what
   * bundlers expect). A URL on another origin is loaded through a same-origin Blob trampoline.
   */
  workerURL?: string | URL;
  /** Starts the worker yourself (custom bundling, tests); replaces `workerURL`. */
  createWorker?: () => WorkerLike;
}

export interface RemoteAutoModel<M = RemoteModel> {
  from_pretrained(model: string, options?: ModelLoadOptions): Promise<M>;
}

export interface WorkerClient {
  pipeline<T extends PipelineTask>(task: T, model?: string | null, options?: PipelineOptions): Promise<RemotePipeline<T>>;
  AutoTokenizer: { from_pretrained(model: string, options?: TokenizerLoadOptions): Promise<RemoteTokenizer> };
  AutoModel: RemoteAutoModel;
  AutoModelForSequenceClassification: RemoteAutoModel;
  AutoModelForTokenClassification: RemoteAutoModel;
  AutoModelForQuestionAnswering: RemoteAutoModel;
  AutoModelForMaskedLM: RemoteAutoModel;
  AutoModelForCausalLM: RemoteAutoModel<RemoteGenerativeModel>;
  AutoModelForSeq2SeqLM: RemoteAutoModel<RemoteGenerativeModel>;
  /** The worker's settings; changes apply to the next call (they are sent along with it). */
  env: WorkerEnvSettings;
  cache: RemoteCache;
  /**
   * Stops the worker and frees everything in it. Pending calls reject with `WorkerLostError`;
   * the next call starts a fresh worker, and objects already handed out load again on first use.
   */
  terminate(): void;
}

/** The settings a fresh client starts from: the in-thread defaults of this context. */
function defaultSettings(): WorkerEnvSettings {
  const { remoteHost, remotePathTemplate, allowRemoteModels, allowLocalModels, localModelPath, backends } = inThreadEnv;
  return { remoteHost, remotePathTemplate, allowRemoteModels, allowLocalModels, localModelPath, useBrowserCache: true, backends: structuredClone(backends) };
}

export function createWorkerClient(options: WorkerClientOptions = {}): WorkerClient {
  const env = defaultSettings();
  const connection = new WorkerConnection(options.createWorker ?? (() => spawnWorker(options.workerURL)), () => env);
  const autoModel = (head: ModelHead): RemoteAutoModel => ({
    from_pretrained: (model, loadOptions = {}) => openRemoteModel(connection, head, model, loadOptions),
  });
  const generativeModel = (head: ModelHead): RemoteAutoModel<RemoteGenerativeModel> => ({
    from_pretrained: (model, loadOptions = {}) => openRemoteGenerativeModel(connection, head, model, loadOptions),
  });
  return {
    pipeline: (task, model = null, pipelineOptions = {}) => openRemotePipeline(connection, task, model, pipelineOptions),
    AutoTokenizer: { from_pretrained: (model, loadOptions = {}) => openRemoteTokenizer(connection, model, loadOptions) },
    AutoModel: autoModel('base'),
    AutoModelForSequenceClassification: autoModel('sequence-classification'),
    AutoModelForTokenClassification: autoModel('token-classification'),
    AutoModelForQuestionAnswering: autoModel('question-answering'),
    AutoModelForMaskedLM: autoModel('masked-lm'),
    AutoModelForCausalLM: generativeModel('causal-lm'),
    AutoModelForSeq2SeqLM: generativeModel('seq2seq-lm'),
    env,
    cache: {
      list: () => connection.run((api) => api.cacheList()),
      usage: () => connection.run((api) => api.cacheUsage()),
      delete: (model, deleteOptions = {}) => connection.run((api) => api.cacheDelete(model, deleteOptions)),
      clear: () => connection.run((api) => api.cacheClear()),
      persist: async () => (await globalThis.navigator?.storage?.persist?.()) ?? false,
    },
    terminate: () => connection.terminate(),
  };
}
