/**
 * The objects the main thread hands to users: callables shaped like the in-thread pipeline,
 * model and tokenizer (`Remote*` in protocol.ts), each backed by a `RemoteHandle`.
 */
import type { GenerateOutput } from '../generation/index.js';
import type { ModelLoadOptions } from '../models/load-model.js';
import type { ModelInputs, ModelOutput } from '../models/pretrained-model.js';
import type { ModelHead } from '../models/registry.js';
import type { PipelineOptions, PipelineTask } from '../pipelines/index.js';
import type { TokenizerLoadOptions } from '../tokenizers/index.js';
import type { Tensor } from '../utils/tensor.js';
import type {
  Handle, ModelInfo, PipelineInfo, RemoteGenerativeModel, RemoteGenerateRequest, RemoteModel, RemotePipeline, RemoteTokenizer, StreamStep,
  TokenizerInfo, TokenizerMethod,
} from './protocol.js';
import { RemoteHandle } from './remote-handle.js';
import { rememberRemote } from './remote-references.js';
import type { WorkerConnection } from './worker-connection.js';

export async function openRemotePipeline<T extends PipelineTask>(
  connection: WorkerConnection, task: T, model: string | null, options: PipelineOptions,
): Promise<RemotePipeline<T>> {
  const handle = await RemoteHandle.open<PipelineInfo>(connection, 'pipeline', (api, call) =>
    api.createPipeline(task, model, call.encodeOptions(options), call.context(), call.callbacks()));
  const { modelId } = handle.info.model;
  // The worker keeps the pipeline's tokenizer under a handle of its own, made and released with
  // the pipeline; in a fresh worker the pipeline, loaded again, brings the new one.
  const tokenizerHandle = RemoteHandle.adopt<TokenizerInfo>(handle, 'tokenizer', handle.info.tokenizer, async () => (await handle.currentInfo()).tokenizer);
  const run = (...args: unknown[]) => handle.use((api, call, h) => api.callPipeline(h, call.encode(args), call.context(), call.callbacks()), args, 'answer');
  const members = {
    task,
    modelId,
    model: handle.info.model,
    tokenizer: remoteTokenizer(tokenizerHandle),
    stream: (...args: unknown[]) => streamText(connection, handle, args),
    dispose: async () => {
      await Promise.all([handle.dispose(), tokenizerHandle.dispose()]);
    },
  };
  return Object.assign(run, members) as unknown as RemotePipeline<T>;
}

/**
 * Pulls the text of a streamed call one chunk per message; leaving the loop early stops the call.
 * An abort of the call's signal tells the worker, and the iteration ends as the call does there:
 * generation yields the chunks produced until the step in flight, then returns its partial result.
 */
async function* streamText(connection: WorkerConnection, handle: RemoteHandle<PipelineInfo>, args: unknown[]): AsyncGenerator<string, unknown> {
  const { value: stream, call } = await handle.start<Handle>((api, c, h) => api.openStream(h, c.encode(args), c.context(), c.callbacks()), args, 'answer');
  const generation = connection.generation;
  const signal = call.signal;
  const onAbort = () => connection.abort(call.id);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      const step = await connection.run<StreamStep>((api) => api.pullStream(stream));
      if (step.done) {
        finished = true;
        return step.value;
      }
      yield step.value;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished && connection.generation === generation) await connection.run((api) => api.dispose(stream)).catch(() => undefined);
  }
}

export async function openRemoteModel(connection: WorkerConnection, head: ModelHead, model: string, options: ModelLoadOptions): Promise<RemoteModel> {
  return remoteModel(await openModelHandle(connection, head, model, options));
}

/**
 * A model loaded for 'causal-lm' or 'seq2seq-lm': the remote model plus `generate()`, which sends
 * this object's `generation_config` along, so that edits to it apply as they do in-thread.
 */
export async function openRemoteGenerativeModel(connection: WorkerConnection, head: ModelHead, model: string, options: ModelLoadOptions): Promise<RemoteGenerativeModel> {
  const handle = await openModelHandle(connection, head, model, options);
  const generative: RemoteGenerativeModel = Object.assign(remoteModel(handle), {
    generation_config: handle.info.generation_config ?? {},
    generate: (request: RemoteGenerateRequest) => {
      const withConfig = { generation_config: generative.generation_config, ...request };
      return handle.use<Tensor | GenerateOutput>((api, call, h) => api.generate(h, call.encode(withConfig), call.context(), call.callbacks()), withConfig, 'answer');
    },
  });
  return generative;
}

function openModelHandle(connection: WorkerConnection, head: ModelHead, model: string, options: ModelLoadOptions): Promise<RemoteHandle<ModelInfo>> {
  return RemoteHandle.open<ModelInfo>(connection, 'model', (api, call) =>
    api.loadModel(head, model, call.encodeOptions(options), call.context(), call.callbacks()));
}

function remoteModel(handle: RemoteHandle<ModelInfo>): RemoteModel {
  const forward = (inputs: ModelInputs) => handle.use<ModelOutput>((api, call, h) => api.callModel(h, call.encode(inputs), call.context(), call.callbacks()), inputs, 'answer');
  const { modelId, config, head, inputNames, choice } = handle.info;
  return Object.assign((inputs: ModelInputs) => forward(inputs), {
    modelId, config, head, inputNames, choice, forward, dispose: () => handle.dispose(),
  }) as RemoteModel;
}

const TOKENIZER_METHODS: readonly Exclude<TokenizerMethod, '_call'>[] = [
  'encode', 'decode', 'batch_decode', 'convert_ids_to_tokens', 'convert_tokens_to_ids', 'apply_chat_template',
];

export async function openRemoteTokenizer(connection: WorkerConnection, model: string, options: TokenizerLoadOptions): Promise<RemoteTokenizer> {
  const handle = await RemoteHandle.open<TokenizerInfo>(connection, 'tokenizer', (api, call) =>
    api.loadTokenizer(model, call.encodeOptions(options), call.context(), call.callbacks()));
  return remoteTokenizer(handle);
}

/** The main-thread tokenizer over `handle`; it can be passed to other calls (streamers, stop_strings). */
function remoteTokenizer(handle: RemoteHandle<TokenizerInfo>): RemoteTokenizer {
  const invoke = (method: TokenizerMethod) => (...args: unknown[]) =>
    handle.use((api, call, h) => api.callTokenizer(h, method, call.encode(args), call.context(), call.callbacks()), args);
  const { handle: _ignored, ...facts } = handle.info;
  const methods = Object.fromEntries(TOKENIZER_METHODS.map((m) => [m, invoke(m)]));
  const tokenizer = Object.assign(invoke('_call'), facts, methods, { dispose: () => handle.dispose() }) as unknown as RemoteTokenizer;
  rememberRemote(tokenizer, handle);
  return tokenizer;
}
