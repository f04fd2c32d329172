/**
 * `webformers/worker`: the in-thread API's names, run in a dedicated module Worker. The exports
 * below use one shared worker, started on first use; `createWorkerClient` makes another one
 * (custom worker URL, separate worker).
 *
 * ```ts
 * import { pipeline, AutoModelForCausalLM, AutoTokenizer, TextStreamer } from 'webformers/worker';
 * const classify = await pipeline('sentiment-analysis', 'Xenova/distilbert-base-uncased-finetuned-sst-2-english');
 * await classify(['I love it', 'I hate it']);
 *
 * const generator = await pipeline('text-generation', 'onnx-community/Qwen2.5-0.5B-Instruct');
 * const streamer = new TextStreamer(generator.tokenizer, { skip_prompt: true, callback_function: (t) => out.append(t) });
 * await generator(messages, { max_new_tokens: 64, streamer });
 *
 * const tokenizer = await AutoTokenizer.from_pretrained('Xenova/gpt2');
 * const model = await AutoModelForCausalLM.from_pretrained('Xenova/gpt2', { signal });
 * const ids = await model.generate({ ...(await tokenizer('Hello')), max_new_tokens: 20, num_beams: 3 });
 * ```
 */
import { createWorkerClient } from './client.js';

export { createWorkerClient, type WorkerClient, type WorkerClientOptions, type RemoteAutoModel } from './client.js';
export { WorkerLostError, DisposedHandleError, WorkerStartError, type WorkerLossReason } from './errors.js';
export type { RemoteCache, RemoteGenerateRequest, RemoteGenerativeModel, RemoteModel, RemotePipeline, RemoteTokenizer, WorkerEnvSettings } from './protocol.js';
export { TextStreamer, TextIteratorStreamer } from './remote-streamers.js';
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
  AutoModelForCausalLM,
  AutoModelForSeq2SeqLM,
  env,
  cache,
  terminate,
} = shared;
