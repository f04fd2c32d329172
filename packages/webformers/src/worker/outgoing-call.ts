/**
 * The main-thread half of one call: encodes its arguments for the wire (tensors, and the
 * functions and abort signal found at any depth, which cannot be cloned) and serves the
 * callbacks the worker makes during the call.
 */
import * as Comlink from 'comlink';
import type { CallContext, CallId, CallbackPort, WireCallback, WireOptions, WireSignal } from './protocol.js';
import { fromWire, toWire } from './wire-values.js';

export class OutgoingCall {
  readonly #callbacks: ((...args: unknown[]) => unknown)[] = [];
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

  #replace(item: unknown): unknown {
    if (typeof item === 'function') {
      const marker: WireCallback = { $wf: 'callback', id: this.#callbacks.length };
      this.#callbacks.push(item as (...args: unknown[]) => unknown);
      return marker;
    }
    if (typeof AbortSignal !== 'undefined' && item instanceof AbortSignal) {
      this.#signal = item;
      const marker: WireSignal = { $wf: 'signal' };
      return marker;
    }
    return item;
  }
}
