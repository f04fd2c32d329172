/**
 * `webformers/worker`: the in-thread API's names, run in a dedicated module Worker. The exports
 * below use one shared worker, started on first use; `createWorkerClient` makes another one
 * (custom worker URL, separate worker).
 *
 * ```ts
 * import { pipeline, env } from 'webformers/worker';
 * const classify = await pipeline('sentiment-analysis', 'Xenova/distilbert-base-uncased-finetuned-sst-2-english');
 * await classify(['I love it', 'I hate it']);
 * ```
 */
import { createWorkerClient } from './client.js';

export { createWorkerClient, type WorkerClient, type WorkerClientOptions, type RemoteAutoModel } from './client.js';
export { WorkerLostError, DisposedHandleError, WorkerStartError, type WorkerLossReason } from './errors.js';
export type { RemoteCache, RemoteModel, RemotePipeline, RemoteTokenizer, WorkerEnvSettings } from './protocol.js';
export type { WorkerLike } from './worker-connection.js';

const shared = createWorkerClient();

export const {
  pipeline,
  AutoTokenizer,
  AutoModel,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  AutoModelForQuestionAnswering,
  AutoModelForMaskedLM,
  env,
  cache,
  terminate,
} = shared;
