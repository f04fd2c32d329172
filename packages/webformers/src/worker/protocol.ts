/**
 * Everything that crosses the worker boundary, in one place. `WorkerApi` is what the worker
 * exposes through Comlink (`host.ts` implements it, `worker-connection.ts` calls it); the
 * `Remote*` types are what the main thread hands to users, derived from the in-thread classes
 * so that the compiler notices when the two drift apart.
 *
 * Rules of the wire:
 * - Objects stay in the worker and are named by a `Handle`; a worker restart makes old handles
 *   meaningless (the client re-creates objects from their recipe, see `remote-handle.ts`).
 * - Arguments and results are structured-cloned; `Tensor`s travel as `WireTensor`s (results'
 *   buffers are transferred, arguments' are copied so that the caller keeps its tensors).
 * - Functions inside arguments (progress_callback, callback_function) cannot be cloned: they are
 *   replaced by `WireCallback` markers and reached through one `CallbackPort` per call, the only
 *   Comlink proxy that crosses (Comlink proxies only top-level arguments).
 * - An `AbortSignal` inside arguments becomes a `WireSignal` marker; the client aborts the call
 *   with `abort(callId)`. Loads then reject at once; calls that run a model answer with what the
 *   in-thread code returns (`OnAbort`).
 * - A remote tokenizer passed as an argument (`tokenizer` for `stop_strings`) becomes a
 *   `WireObjectRef` naming the worker's object. A streamer becomes a `WireStreamer` (its
 *   `put`/`end` are called back on the main thread) or, for `webformers/worker`'s own
 *   `TextStreamer` (and an in-thread one built over a remote tokenizer), a `WireTextStreamer`:
 *   the worker decodes and only text crosses.
 * - A failure crosses as a `WireError` (thrown as a plain object) and is re-created as the same
 *   error class on the main thread (`wire-errors.ts`).
 */
import type { CachedModel, DeleteModelOptions, StorageUsage } from '../cache/index.js';
import type { GenerateOutput, GenerateRequest, GenerativeModel, TextStreamerOptions } from '../generation/index.js';
import type { ModelHead } from '../models/registry.js';
import type { ModelLoadOptions } from '../models/load-model.js';
import type { PreTrainedModel } from '../models/pretrained-model.js';
import type { Pipeline, PipelineOptions, PipelineTask, PipelineTypes } from '../pipelines/index.js';
import type { PreTrainedTokenizer, TokenizerLoadOptions } from '../tokenizers/index.js';
import type { DataType, Tensor, TensorData } from '../utils/tensor.js';
import type { WebformersEnv } from '../env.js';

/** Names an object kept by the worker (a pipeline, a model, a tokenizer or an open stream). */
export type Handle = number;
/** Names one call, so that the main thread can abort it. */
export type CallId = number;

export interface WireTensor {
  $wf: 'tensor';
  type: DataType;
  data: TensorData;
  dims: number[];
}
export interface WireSignal {
  $wf: 'signal';
}
export interface WireCallback {
  $wf: 'callback';
  id: number;
}
/** An object the worker holds (a tokenizer), passed as an argument. */
export interface WireObjectRef {
  $wf: 'object';
  handle: Handle;
}
/** A main-thread streamer: the worker calls `put` back with token rows and `end` with nothing. */
export interface WireStreamer {
  $wf: 'streamer';
  put: number;
  end: number;
}
/**
 * A `TextStreamer` of `webformers/worker` (or an in-thread one over a remote tokenizer), rebuilt
 * in the worker over the tokenizer `handle`;
 * `text` is called back with `(text, streamEnd)` for each finalized chunk and once at the end.
 */
export interface WireTextStreamer {
  $wf: 'text-streamer';
  tokenizer: Handle;
  options: Omit<TextStreamerOptions, 'callback_function'>;
  text: number;
}
export type WireMarker = WireTensor | WireSignal | WireCallback | WireObjectRef | WireStreamer | WireTextStreamer;

/**
 * What an abort of a call's signal does, the same on both sides of the wire. `reject`: the call
 * rejects at once with the signal's reason (loads, as in-thread loads do). `answer`: the worker's
 * in-thread code sees the aborted signal and the call answers with what it returns (generation
 * ends after the step in flight and returns what it produced, as in-thread).
 */
export type OnAbort = 'reject' | 'answer';

/** An error as it crosses: its class name, message, `code` / `hint` and other own fields. */
export interface WireError {
  $wf: 'error';
  name: string;
  message: string;
  stack?: string;
  /** Own enumerable fields that survive structured clone (`code`, `hint`, `model`, `file`, ...). */
  fields: Record<string, unknown>;
  cause?: WireError | undefined;
}

/** Main-thread side of a call's callbacks: `id` is the `WireCallback` id, `args` are wire values. */
export type CallbackPort = (id: number, args: unknown[]) => void;

/**
 * What travels with every call besides its arguments: its id, and (a separate, top-level
 * argument, because Comlink proxies only those) the `CallbackPort` when the arguments hold
 * `WireCallback` markers.
 */
export interface CallContext {
  callId: CallId;
}

/** The worker's settings that the main thread controls (`env` of `webformers/worker`). */
export interface WorkerEnvSettings extends Pick<WebformersEnv, 'remoteHost' | 'remotePathTemplate' | 'allowRemoteModels' | 'allowLocalModels' | 'localModelPath'> {
  /** Keep downloaded files in the IndexedDB store of the worker's origin. Default `true`. */
  useBrowserCache: boolean;
  backends: WebformersEnv['backends'];
}

/** A model's plain facts, copied to the main thread so that they read synchronously there. */
export type ModelFacts = Pick<PreTrainedModel, 'modelId' | 'config' | 'head' | 'inputNames' | 'choice'>;

export type ModelInfo = { handle: Handle } & ModelFacts & {
  /** A generating model's own generation settings (absent for other heads). */
  generation_config?: GenerativeModel['generation_config'];
};

/** Tokenizer methods callable through the worker (each becomes async on the main thread). */
export type TokenizerMethod = 'encode' | 'decode' | 'batch_decode' | 'convert_ids_to_tokens' | 'convert_tokens_to_ids' | 'apply_chat_template' | '_call';
/** Tokenizer facts copied once at load, read synchronously on the main thread. */
export type TokenizerProperty =
  | 'model_max_length' | 'special_tokens_map'
  | 'bos_token' | 'eos_token' | 'unk_token' | 'sep_token' | 'pad_token' | 'cls_token' | 'mask_token'
  | 'bos_token_id' | 'eos_token_id' | 'unk_token_id' | 'sep_token_id' | 'pad_token_id' | 'cls_token_id' | 'mask_token_id';
export const TOKENIZER_PROPERTIES: readonly TokenizerProperty[] = [
  'model_max_length', 'special_tokens_map',
  'bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token',
  'bos_token_id', 'eos_token_id', 'unk_token_id', 'sep_token_id', 'pad_token_id', 'cls_token_id', 'mask_token_id',
];
export type TokenizerInfo = { handle: Handle } & Pick<PreTrainedTokenizer, TokenizerProperty>;

export interface PipelineInfo {
  handle: Handle;
  task: PipelineTask;
  /** What the worker loaded (the task default model when none was given). */
  model: ModelFacts;
  /** The pipeline's tokenizer, kept under a handle of its own (released with the pipeline). */
  tokenizer: TokenizerInfo;
}

/** Options whose callbacks and signals the client turns into markers before they cross. */
export type WireOptions<T> = { [K in keyof T]: T[K] extends ((...args: never[]) => unknown) | undefined ? WireCallback | undefined : T[K] };

/** One step of a stream pulled from the worker; `value` of the last step is the call's result. */
export type StreamStep = { done: false; value: string } | { done: true; value: unknown };

/** What the worker exposes. Every method answers with wire values. */
export interface WorkerApi {
  /** Replaces the worker's settings (sent before every load and cache call). */
  configure(settings: WorkerEnvSettings): void;

  createPipeline(task: PipelineTask, model: string | null, options: WireOptions<PipelineOptions>, context: CallContext, callbacks?: CallbackPort): Promise<PipelineInfo>;
  callPipeline(handle: Handle, args: unknown[], context: CallContext, callbacks?: CallbackPort): Promise<unknown>;
  /**
   * Runs a pipeline call with a text streamer attached (`options.streamer`) and returns a stream
   * handle; `pullStream` gives one chunk of generated text per call, then the call's result.
   */
  openStream(handle: Handle, args: unknown[], context: CallContext, callbacks?: CallbackPort): Promise<Handle>;
  pullStream(stream: Handle): Promise<StreamStep>;

  loadModel(head: ModelHead, model: string, options: WireOptions<ModelLoadOptions>, context: CallContext, callbacks?: CallbackPort): Promise<ModelInfo>;
  callModel(handle: Handle, inputs: Record<string, unknown>, context: CallContext, callbacks?: CallbackPort): Promise<Record<string, unknown>>;
  /** `generate()` of a model loaded for 'causal-lm' or 'seq2seq-lm'. */
  generate(handle: Handle, request: Record<string, unknown>, context: CallContext, callbacks?: CallbackPort): Promise<unknown>;

  loadTokenizer(model: string, options: WireOptions<TokenizerLoadOptions>, context: CallContext, callbacks?: CallbackPort): Promise<TokenizerInfo>;
  callTokenizer(handle: Handle, method: TokenizerMethod, args: unknown[], context: CallContext, callbacks?: CallbackPort): Promise<unknown>;

  /** Releases whatever the handle names; unknown handles are ignored (disposing twice is fine). */
  dispose(handle: Handle): Promise<void>;
  /** Aborts the call with this id, if it is still running. */
  abort(callId: CallId): void;

  cacheList(): Promise<CachedModel[]>;
  cacheUsage(): Promise<StorageUsage>;
  cacheDelete(model: string, options: DeleteModelOptions): Promise<number>;
  cacheClear(): Promise<void>;

  /** Test hook: throws an uncaught error in the worker, as a crash would. */
  crashForTesting(): void;
}

/* ---- What the main thread hands out -------------------------------------------------------- */

type PipelineArgs<P> = P extends Pipeline<infer A, infer _R> ? A : never;
type PipelineResult<P> = P extends Pipeline<infer _A, infer R> ? R : never;

/**
 * A pipeline as the main thread sees it: the in-thread pipeline's call (which already answers
 * with a promise), its `task`, `dispose()`, and `stream()` for text pulled chunk by chunk.
 */
export interface RemotePipeline<T extends PipelineTask> {
  (...args: PipelineArgs<PipelineTypes[T]>): Promise<PipelineResult<PipelineTypes[T]>>;
  readonly task: T;
  /** Model id loaded in the worker. */
  readonly modelId: string;
  /** The facts of the pipeline's model (`model.choice`: the device and dtypes picked, and why). */
  readonly model: Readonly<ModelFacts>;
  /** The pipeline's tokenizer, e.g. for `new TextStreamer(generator.tokenizer, ...)`. */
  readonly tokenizer: RemoteTokenizer;
  /** Runs the call with a streamer attached in the worker; yields text as it is produced. */
  stream(...args: PipelineArgs<PipelineTypes[T]>): AsyncIterableIterator<string>;
  dispose(): Promise<void>;
}

/** What a pipeline offers both in-thread and through the worker (checked in protocol.test.ts). */
export type PipelineSurface<T extends PipelineTask> = { readonly task: string; dispose(): Promise<void> } & ((...args: PipelineArgs<PipelineTypes[T]>) => Promise<PipelineResult<PipelineTypes[T]>>);

/** A model as the main thread sees it: the same members as `PreTrainedModel`. */
export type RemoteModel = Pick<PreTrainedModel, 'modelId' | 'config' | 'head' | 'inputNames' | 'choice' | 'forward' | 'dispose'> & PreTrainedModel['forward'];

/** What `generate()` takes through the worker: `tokenizer` (for `stop_strings`) may be a remote one. */
export type RemoteGenerateRequest = Omit<GenerateRequest, 'tokenizer'> & { tokenizer?: GenerateRequest['tokenizer'] | RemoteTokenizer };

/**
 * A model that generates, as the main thread sees it. `generation_config` is a copy: edits apply
 * to later calls on this main-thread object (it is sent with each call). `streamer` may be the
 * `TextStreamer` / `TextIteratorStreamer` of `webformers/worker` or any `{ put, end }` object.
 * As in-thread, an aborted `signal` ends generation in the worker after the step in flight, and
 * the call answers with what was produced so far; the model is ready for the next call.
 */
export type RemoteGenerativeModel = RemoteModel & Pick<GenerativeModel, 'generation_config'> & {
  generate(request: RemoteGenerateRequest): Promise<Tensor | GenerateOutput>;
};

type Promisified<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/** A tokenizer as the main thread sees it: properties read synchronously, methods answer with promises. */
export type RemoteTokenizer = Pick<PreTrainedTokenizer, TokenizerProperty>
  & { [M in Exclude<TokenizerMethod, '_call'>]: Promisified<PreTrainedTokenizer[M]> }
  & Promisified<(text: string | string[], options?: Parameters<PreTrainedTokenizer>[1]) => ReturnType<PreTrainedTokenizer>>
  & { dispose(): Promise<void> };

/** The store as the main thread sees it (the same methods as the worker's `ModelStore`). */
export interface RemoteCache {
  list(): Promise<CachedModel[]>;
  usage(): Promise<StorageUsage>;
  delete(model: string, options?: DeleteModelOptions): Promise<number>;
  clear(): Promise<void>;
  /** Runs on the main thread: `navigator.storage.persist()` exists only in windows. */
  persist(): Promise<boolean>;
}
