/**
 * The objects the main thread hands to users: callables shaped like the in-thread pipeline,
 * model and tokenizer (`Remote*` in protocol.ts), each backed by a `RemoteHandle`.
 */
import type { ModelLoadOptions } from '../models/load-model.js';
import type { ModelInputs, ModelOutput } from '../models/pretrained-model.js';
import type { ModelHead } from '../models/registry.js';
import type { PipelineOptions, PipelineTask } from '../pipelines/index.js';
import type { TokenizerLoadOptions } from '../tokenizers/index.js';
import type {
  Handle, ModelInfo, PipelineInfo, RemoteModel, RemotePipeline, RemoteTokenizer, StreamStep, TokenizerInfo, TokenizerMethod,
} from './protocol.js';
import { RemoteHandle } from './remote-handle.js';
import type { WorkerConnection } from './worker-connection.js';

export async function openRemotePipeline<T extends PipelineTask>(
  connection: WorkerConnection, task: T, model: string | null, options: PipelineOptions,
): Promise<RemotePipeline<T>> {
  const handle = await RemoteHandle.open<PipelineInfo>(connection, 'pipeline', (api, call) =>
    api.createPipeline(task, model, call.encodeOptions(options), call.context(), call.callbacks()));
  const run = (...args: unknown[]) => handle.use((api, call, h) => api.callPipeline(h, call.encode(args), call.context(), call.callbacks()));
  const members = {
    task,
    modelId: handle.info.model,
    stream: (...args: unknown[]) => streamText(connection, handle, args),
    dispose: () => handle.dispose(),
  };
  return Object.assign(run, members) as unknown as RemotePipeline<T>;
}

/** Pulls the text of a streamed call one chunk per message; leaving the loop early stops the call. */
async function* streamText(connection: WorkerConnection, handle: RemoteHandle<PipelineInfo>, args: unknown[]): AsyncGenerator<string, unknown> {
  const { value: stream, call } = await handle.start<Handle>((api, c, h) => api.openStream(h, c.encode(args), c.context(), c.callbacks()));
  const generation = connection.generation;
  const signal = call.signal;
  const onAbort = () => connection.abort(call.id);
  signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
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
  const handle = await RemoteHandle.open<ModelInfo>(connection, 'model', (api, call) =>
    api.loadModel(head, model, call.encodeOptions(options), call.context(), call.callbacks()));
  const forward = (inputs: ModelInputs) => handle.use<ModelOutput>((api, call, h) => api.callModel(h, call.encode(inputs), call.context(), call.callbacks()));
  const { modelId, config, inputNames } = handle.info;
  return Object.assign((inputs: ModelInputs) => forward(inputs), {
    modelId, config, head: handle.info.head, inputNames, forward, dispose: () => handle.dispose(),
  }) as RemoteModel;
}

const TOKENIZER_METHODS: readonly Exclude<TokenizerMethod, '_call'>[] = [
  'encode', 'decode', 'batch_decode', 'convert_ids_to_tokens', 'convert_tokens_to_ids', 'apply_chat_template',
];

export async function openRemoteTokenizer(connection: WorkerConnection, model: string, options: TokenizerLoadOptions): Promise<RemoteTokenizer> {
  const handle = await RemoteHandle.open<TokenizerInfo>(connection, 'tokenizer', (api, call) =>
    api.loadTokenizer(model, call.encodeOptions(options), call.context(), call.callbacks()));
  const invoke = (method: TokenizerMethod) => (...args: unknown[]) =>
    handle.use((api, call, h) => api.callTokenizer(h, method, call.encode(args), call.context(), call.callbacks()));
  const { handle: _ignored, ...facts } = handle.info;
  const methods = Object.fromEntries(TOKENIZER_METHODS.map((m) => [m, invoke(m)]));
  return Object.assign(invoke('_call'), facts, methods, { dispose: () => handle.dispose() }) as unknown as RemoteTokenizer;
}
