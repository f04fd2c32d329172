/**
 * The worker side: keeps pipelines, models, tokenizers and open streams by handle, runs calls on
 * them, and speaks the wire format of `protocol.ts`. It does not know about Comlink's transport
 * beyond `transfer` and `releaseProxy`, so tests run it over a `MessageChannel` in Node.
 */
import * as Comlink from 'comlink';
import type { CachedModel, DeleteModelOptions, StorageUsage } from '../cache/index.js';
import type { FileCache, WebformersEnv } from '../env.js';
import { GenerativeModel, TextIteratorStreamer, type GenerateRequest } from '../generation/index.js';
import type { ModelLoadOptions } from '../models/load-model.js';
import type { PreTrainedModel } from '../models/pretrained-model.js';
import type { ModelHead } from '../models/registry.js';
import type { PipelineOptions, PipelineTask, PipelineTypes } from '../pipelines/index.js';
import type { PreTrainedTokenizer, TokenizerLoadOptions } from '../tokenizers/index.js';
import { InvalidArgumentError, NotSupportedError } from '../utils/errors.js';
import { HandleRegistry } from './handle-registry.js';
import {
  TOKENIZER_PROPERTIES,
  type CallContext, type CallId, type CallbackPort, type Handle, type ModelFacts, type ModelInfo, type OnAbort, type PipelineInfo, type StreamStep,
  type TokenizerInfo, type TokenizerMethod, type WireMarker, type WireOptions, type WorkerApi, type WorkerEnvSettings,
} from './protocol.js';
import { serializeError } from './wire-errors.js';
import { fromWire, toWire } from './wire-values.js';
import { forwardingStreamer, relayedTextStreamer } from './worker-streamers.js';

type AnyPipeline = PipelineTypes[PipelineTask];
/** Wire arguments are unchecked by nature; the pipelines validate their inputs themselves. */
type WireCall = (...args: unknown[]) => Promise<unknown>;

/** What the host runs: the in-thread API, replaceable in tests. */
export interface HostRuntime {
  env: WebformersEnv;
  pipeline(task: PipelineTask, model: string | null, options: PipelineOptions): Promise<AnyPipeline>;
  loadModel(model: string, head: ModelHead, options: ModelLoadOptions): Promise<PreTrainedModel>;
  loadTokenizer(model: string, options: TokenizerLoadOptions): Promise<PreTrainedTokenizer>;
  store: FileCache & {
    list(): Promise<CachedModel[]>;
    usage(): Promise<StorageUsage>;
    delete(model: string, options?: DeleteModelOptions): Promise<number>;
    clear(): Promise<void>;
  };
}

/** A call in progress: its revived arguments, its signal, and the way to close it. */
interface ActiveCall {
  args: unknown[];
  signal: AbortSignal;
  finished: boolean;
  abort(): void;
  /** Waits for callback deliveries, then forgets the call and releases its callback port. */
  finish(): Promise<void>;
  /** The first error a main-thread callback threw (a streamer's `put`, a progress callback). */
  callbackFailure(): { error: unknown } | undefined;
}

interface OpenStream {
  chunks: AsyncIterator<string>;
  result: Promise<unknown>;
  call: ActiveCall;
}

interface EntryValues {
  pipeline: AnyPipeline;
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  stream: OpenStream;
}
type Entry = { [K in keyof EntryValues]: { kind: K; value: EntryValues[K] } }[keyof EntryValues];

export class WorkerHost implements WorkerApi {
  readonly #objects = new HandleRegistry<Entry>();
  readonly #running = new Map<CallId, { abort(): void }>();
  /** The handle of each pipeline's tokenizer, released with the pipeline. */
  readonly #pipelineTokenizers = new Map<Handle, Handle>();

  constructor(private readonly runtime: HostRuntime) {}

  configure(settings: WorkerEnvSettings): void {
    const { useBrowserCache, backends, ...hub } = settings;
    Object.assign(this.runtime.env, hub);
    this.runtime.env.backends = backends;
    this.runtime.env.cache = useBrowserCache ? this.runtime.store : null;
  }

  createPipeline(task: PipelineTask, model: string | null, options: WireOptions<PipelineOptions>, context: CallContext, callbacks?: CallbackPort): Promise<PipelineInfo> {
    return this.#run(context, callbacks, [options], async ([opts], signal) => {
      const value = await this.runtime.pipeline(task, model, opts as PipelineOptions);
      const handle = await this.#keep({ kind: 'pipeline', value }, signal);
      const tokenizer = tokenizerInfo(this.#objects.add({ kind: 'tokenizer', value: value.tokenizer }), value.tokenizer);
      this.#pipelineTokenizers.set(handle, tokenizer.handle);
      return { handle, task, model: modelFacts(value.model), tokenizer };
    });
  }

  callPipeline(handle: Handle, args: unknown[], context: CallContext, callbacks?: CallbackPort): Promise<unknown> {
    const pipe = this.#get(handle, 'pipeline');
    return this.#run(context, callbacks, args, (revived) => (pipe as WireCall)(...revived), 'answer');
  }

  openStream(handle: Handle, args: unknown[], context: CallContext, callbacks?: CallbackPort): Promise<Handle> {
    const pipe = this.#get(handle, 'pipeline');
    const call = this.#start(context, callbacks, args);
    // transformers.js examples stream only the new text, without special tokens.
    const streamer = new TextIteratorStreamer(pipe.tokenizer, { skip_prompt: true, skip_special_tokens: true });
    const revived = [...call.args];
    const options = revived.length > 1 && isOptions(revived[revived.length - 1]) ? (revived.pop() as object) : {};
    const result = Promise.resolve().then(() => (pipe as WireCall)(...revived, { ...options, streamer }));
    // A task that never streams (or fails) still ends the stream, so the reader is not left waiting.
    void result.catch(() => undefined).finally(() => streamer.end());
    const stream: OpenStream = { chunks: streamer[Symbol.asyncIterator](), result, call };
    return Promise.resolve(this.#objects.add({ kind: 'stream', value: stream }));
  }

  async pullStream(handle: Handle): Promise<StreamStep> {
    const stream = this.#get(handle, 'stream');
    try {
      const next = await stream.chunks.next();
      if (!next.done) return { done: false, value: next.value };
      const value = await stream.result;
      await stream.call.finish();
      return transferable({ done: true, value });
    } catch (error) {
      await stream.call.finish();
      throw serializeError(error);
    } finally {
      if (stream.call.finished) this.#objects.take(handle);
    }
  }

  loadModel(head: ModelHead, model: string, options: WireOptions<ModelLoadOptions>, context: CallContext, callbacks?: CallbackPort): Promise<ModelInfo> {
    return this.#run(context, callbacks, [options], async ([opts], signal) => {
      const value = await this.runtime.loadModel(model, head, opts as ModelLoadOptions);
      const info: ModelInfo = { handle: await this.#keep({ kind: 'model', value }, signal), ...modelFacts(value) };
      if (value instanceof GenerativeModel) info.generation_config = value.generation_config;
      return info;
    });
  }

  generate(handle: Handle, request: Record<string, unknown>, context: CallContext, callbacks?: CallbackPort): Promise<unknown> {
    const model = this.#get(handle, 'model');
    if (!(model instanceof GenerativeModel)) {
      throw serializeError(new NotSupportedError(`generate() needs a model loaded for text generation; ${model.modelId} was loaded for '${model.head}'.`, {
        hint: 'Load it with AutoModelForCausalLM or AutoModelForSeq2SeqLM.',
      }));
    }
    return this.#run(context, callbacks, [request], ([revived]) => model.generate(revived as GenerateRequest), 'answer');
  }

  callModel(handle: Handle, inputs: Record<string, unknown>, context: CallContext, callbacks?: CallbackPort): Promise<Record<string, unknown>> {
    const model = this.#get(handle, 'model');
    return this.#run(context, callbacks, [inputs], ([revived]) => model(revived as Parameters<PreTrainedModel>[0]), 'answer');
  }

  loadTokenizer(model: string, options: WireOptions<TokenizerLoadOptions>, context: CallContext, callbacks?: CallbackPort): Promise<TokenizerInfo> {
    return this.#run(context, callbacks, [options], async ([opts], signal) => {
      const value = await this.runtime.loadTokenizer(model, opts as TokenizerLoadOptions);
      return tokenizerInfo(await this.#keep({ kind: 'tokenizer', value }, signal), value);
    });
  }

  callTokenizer(handle: Handle, method: TokenizerMethod, args: unknown[], context: CallContext, callbacks?: CallbackPort): Promise<unknown> {
    const tokenizer = this.#get(handle, 'tokenizer');
    return this.#run(context, callbacks, args, async (revived) => {
      if (method === '_call') return tokenizer(...(revived as Parameters<PreTrainedTokenizer>));
      const fn = tokenizer[method] as (...a: unknown[]) => unknown;
      if (typeof fn !== 'function') throw new InvalidArgumentError(`Tokenizers have no method "${String(method)}".`, { hint: 'Use encode, decode, batch_decode, convert_ids_to_tokens, convert_tokens_to_ids or apply_chat_template.' });
      return fn.apply(tokenizer, revived);
    });
  }

  async dispose(handle: Handle): Promise<void> {
    const tokenizer = this.#pipelineTokenizers.get(handle);
    this.#pipelineTokenizers.delete(handle);
    if (tokenizer !== undefined) this.#objects.take(tokenizer);
    await release(this.#objects.take(handle));
  }

  /**
   * Registers what a load made, unless the load was aborted meanwhile: nobody holds a handle to
   * it then, so it is released instead of staying in memory for the worker's life.
   */
  async #keep(entry: Entry, signal: AbortSignal): Promise<Handle> {
    if (!signal.aborted) return this.#objects.add(entry);
    await release(entry);
    throw signal.reason;
  }

  abort(callId: CallId): void {
    this.#running.get(callId)?.abort();
  }

  cacheList(): Promise<CachedModel[]> {
    return wrapErrors(this.runtime.store.list());
  }

  cacheUsage(): Promise<StorageUsage> {
    return wrapErrors(this.runtime.store.usage());
  }

  cacheDelete(model: string, options: DeleteModelOptions): Promise<number> {
    return wrapErrors(this.runtime.store.delete(model, options));
  }

  cacheClear(): Promise<void> {
    return wrapErrors(this.runtime.store.clear());
  }

  crashForTesting(): void {
    setTimeout(() => {
      throw new Error('crash requested by crashForTesting()');
    });
  }

  /** Number of live objects (pipelines, models, tokenizers, streams); for tests and diagnostics. */
  get liveObjects(): number {
    return this.#objects.size;
  }

  #get<K extends keyof EntryValues>(handle: Handle, kind: K): EntryValues[K] {
    let entry: Entry;
    try {
      entry = this.#objects.get(handle, kind);
    } catch (error) {
      throw serializeError(error);
    }
    if (entry.kind !== kind) throw serializeError(new InvalidArgumentError(`Handle ${handle} names a ${entry.kind}, not a ${kind}.`, { hint: 'This is a bug in webformers/worker; please report it.' }));
    return entry.value as EntryValues[K];
  }

  /**
   * One call: revive the arguments (tensors, this call's signal and callbacks), run `work`, wait
   * until every callback message was delivered, then send the result with its tensor buffers
   * transferred. On abort, `reject` fails the call at once, even if the work does not watch the
   * signal (loads); `answer` lets the work decide (generation returns what it produced), as the
   * client does (`OnAbort` in protocol.ts).
   */
  async #run<T>(context: CallContext, port: CallbackPort | undefined, args: unknown[], work: (args: unknown[], signal: AbortSignal) => Promise<T>, onAbort: OnAbort = 'reject'): Promise<T> {
    const call = this.#start(context, port, args);
    try {
      const running = work(call.args, call.signal);
      const result = await (onAbort === 'reject' ? raceAbort(running, call.signal) : running);
      await call.finish();
      // In-thread, a callback that throws fails the call; its error arrives here only afterwards.
      const failed = call.callbackFailure();
      if (failed) throw failed.error;
      return transferable(result);
    } catch (error) {
      await call.finish();
      throw serializeError(error);
    }
  }

  /** A marker as the live value the call's code expects (the call's own signal and callbacks). */
  #revive(marker: WireMarker, signal: AbortSignal, callbacks: CallbackRelay): unknown {
    const relay = (id: number) => callbacks.function(id);
    switch (marker.$wf) {
      case 'signal': return signal;
      case 'callback': return relay(marker.id);
      case 'object': return this.#get(marker.handle, 'tokenizer');
      case 'streamer': return forwardingStreamer(marker, relay);
      case 'text-streamer': return relayedTextStreamer(marker, this.#get(marker.tokenizer, 'tokenizer'), relay);
      default: return marker;
    }
  }

  #start(context: CallContext, port: CallbackPort | undefined, args: unknown[]): ActiveCall {
    const controller = new AbortController();
    const callbacks = new CallbackRelay(port);
    const revived = fromWire(args, (marker) => this.#revive(marker, controller.signal, callbacks)) as unknown[];
    this.#running.set(context.callId, { abort: () => controller.abort(new DOMException('The call was aborted.', 'AbortError')) });
    let finishing: Promise<void> | undefined;
    const call: ActiveCall = {
      args: revived,
      signal: controller.signal,
      finished: false,
      abort: () => this.#running.get(context.callId)?.abort(),
      callbackFailure: () => callbacks.failure,
      finish: () => {
        finishing ??= callbacks.delivered().finally(() => {
          this.#running.delete(context.callId);
          callbacks.release();
          call.finished = true;
        });
        return finishing;
      },
    };
    return call;
  }
}

async function release(entry: Entry | undefined): Promise<void> {
  if (entry?.kind === 'pipeline' || entry?.kind === 'model') await entry.value.dispose();
  if (entry?.kind === 'stream') {
    entry.value.call.abort();
    await entry.value.chunks.return?.();
    await entry.value.call.finish();
  }
}

function modelFacts(model: PreTrainedModel): ModelFacts {
  const { modelId, config, head, inputNames, choice } = model;
  return { modelId, config, head, inputNames: [...inputNames], choice };
}

function tokenizerInfo(handle: Handle, tokenizer: PreTrainedTokenizer): TokenizerInfo {
  const facts = Object.fromEntries(TOKENIZER_PROPERTIES.map((name) => [name, tokenizer[name]])) as Omit<TokenizerInfo, 'handle'>;
  return { handle, ...facts };
}

/** Calls back to the main thread; remembers each delivery so that the result waits for them. */
class CallbackRelay {
  readonly #pending = new Set<Promise<unknown>>();
  #failure: { error: unknown } | undefined;

  constructor(private readonly port: CallbackPort | undefined) {}

  function(id: number): (...args: unknown[]) => void {
    return (...args) => {
      if (!this.port) return;
      const transfers: Transferable[] = [];
      const wire = toWire(args, transfers) as unknown[];
      const delivery = Promise.resolve(this.port(id, Comlink.transfer(wire, transfers))).catch((error: unknown) => {
        this.#failure ??= { error };
      });
      this.#pending.add(delivery);
      void delivery.finally(() => this.#pending.delete(delivery));
    };
  }

  async delivered(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  get failure(): { error: unknown } | undefined {
    return this.#failure;
  }

  release(): void {
    (this.port as Comlink.Remote<CallbackPort> | undefined)?.[Comlink.releaseProxy]();
  }
}

/** `value` in wire form, with its tensor buffers marked for transfer. */
function transferable<T>(value: T): T {
  const transfers: Transferable[] = [];
  const wire = toWire(value, transfers);
  return (transfers.length > 0 ? Comlink.transfer(wire as object, transfers) : wire) as T;
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function isOptions(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

async function wrapErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw serializeError(error);
  }
}
