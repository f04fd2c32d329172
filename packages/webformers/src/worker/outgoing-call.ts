/**
 * The main-thread half of one call: encodes its arguments for the wire (tensors, and the
 * functions, abort signal, remote objects and streamers found at any depth, which cannot be
 * cloned) and serves the callbacks the worker makes during the call.
 */
import * as Comlink from 'comlink';
import type { Streamer } from '../generation/index.js';
import type { CallContext, CallId, CallbackPort, WireCallback, WireObjectRef, WireOptions, WireSignal, WireStreamer, WireTextStreamer } from './protocol.js';
import { remoteHandleOf } from './remote-references.js';
import { inThreadTextRelay, isInThreadTextStreamer } from './in-thread-streamers.js';
import { TextStreamer, textRelay, type TextRelay } from './remote-streamers.js';
import { fromWire, toWire } from './wire-values.js';

export class OutgoingCall {
  readonly #callbacks: ((...args: unknown[]) => unknown)[] = [];
  readonly #textRelays: TextRelay[] = [];
  #signal: AbortSignal | undefined;

  constructor(readonly id: CallId) {}

  /** The signal found in the arguments, if any (one per call, as every API here takes one). */
  get signal(): AbortSignal | undefined {
    return this.#signal;
  }

  /** `value` in wire form; tensors are copied, not transferred, so the caller keeps them. */
  encode<T>(value: T): T {
    return toWire(value, undefined, (item) => this.#replace(item)) as T;
  }

  /** Load options in wire form: their callbacks become markers served by `callbacks()`. */
  encodeOptions<T extends object>(options: T): WireOptions<T> {
    return this.encode(options) as unknown as WireOptions<T>;
  }

  /** What travels with the call: its id. */
  context(): CallContext {
    return { callId: this.id };
  }

  /** The port the worker calls back through, when the encoded arguments had functions. */
  callbacks(): CallbackPort | undefined {
    if (this.#callbacks.length === 0) return undefined;
    const port: CallbackPort = (id, args) => {
      this.#callbacks[id]?.(...(fromWire(args) as unknown[]));
    };
    return Comlink.proxy(port);
  }

  /** The call has settled: streamers it carried stop waiting for text. */
  settle(): void {
    for (const relay of this.#textRelays) relay.settled();
  }

  #replace(item: unknown): unknown {
    // Before functions: a remote tokenizer is callable, and a streamer over one is remote too.
    const relay = textRelayOf(item);
    if (relay) {
      this.#textRelays.push(relay);
      const marker: WireTextStreamer = {
        $wf: 'text-streamer',
        tokenizer: this.#handleOf(relay.tokenizer),
        options: relay.options,
        text: this.#register((text, streamEnd) => relay.receive(text as string, streamEnd as boolean)),
      };
      return marker;
    }
    if (remoteHandleOf(item)) {
      const marker: WireObjectRef = { $wf: 'object', handle: this.#handleOf(item) };
      return marker;
    }
    if (typeof item === 'function') {
      const marker: WireCallback = { $wf: 'callback', id: this.#register(item as (...args: unknown[]) => unknown) };
      return marker;
    }
    if (isStreamer(item)) {
      const marker: WireStreamer = { $wf: 'streamer', put: this.#register((tokens) => item.put(tokens as number[][])), end: this.#register(() => item.end()) };
      return marker;
    }
    if (typeof AbortSignal !== 'undefined' && item instanceof AbortSignal) {
      this.#signal = item;
      const marker: WireSignal = { $wf: 'signal' };
      return marker;
    }
    return item;
  }

  #register(callback: (...args: unknown[]) => unknown): number {
    return this.#callbacks.push(callback) - 1;
  }

  /** The remote object's handle; `RemoteHandle.start` made it current in this call's worker. */
  #handleOf(item: unknown): number {
    return remoteHandleOf(item)!.info.handle;
  }
}

/** A streamer that decodes in the worker: webformers/worker's own, or an in-thread one over a remote tokenizer. */
function textRelayOf(item: unknown): TextRelay | undefined {
  if (item instanceof TextStreamer) return item[textRelay]();
  if (isInThreadTextStreamer(item) && remoteHandleOf(item)) return inThreadTextRelay(item);
  return undefined;
}

/** Python's `BaseStreamer` shape: `put(token rows)` and `end()`. */
function isStreamer(item: unknown): item is Streamer {
  const candidate = item as Partial<Streamer> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.put === 'function' && typeof candidate.end === 'function';
}
