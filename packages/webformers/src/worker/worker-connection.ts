/**
 * The main thread's link to one worker at a time. Starts the worker on first use, sends the
 * current settings before calls, tracks pending calls so that a lost worker rejects them with
 * `WorkerLostError`, and starts a fresh worker on the next call. Each worker life has its own
 * `generation`; objects made in an earlier one must be loaded again (`remote-handle.ts`).
 */
import * as Comlink from 'comlink';
import { WorkerLostError, type WorkerLossReason } from './errors.js';
import { OutgoingCall } from './outgoing-call.js';
import type { OnAbort, WorkerApi, WorkerEnvSettings } from './protocol.js';
import { isWireError, reviveError } from './wire-errors.js';
import { fromWire } from './wire-values.js';

/** What the connection needs of a worker; a `Worker`, or a `MessagePort` wrapper in tests. */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

export type Perform = (api: Comlink.Remote<WorkerApi>, call: OutgoingCall) => Promise<unknown>;

export class WorkerConnection {
  #worker: WorkerLike | null = null;
  #api: Comlink.Remote<WorkerApi> | null = null;
  #generation = 0;
  #nextCallId = 1;
  #sentSettings = '';
  readonly #pending = new Set<(error: Error) => void>();

  constructor(
    private readonly startWorker: () => WorkerLike,
    private readonly settings: () => WorkerEnvSettings,
  ) {}

  /** Increases each time a worker is lost; handles from an older generation name nothing. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Runs one call. `perform` encodes its arguments with `call` and sends them; the answer comes
   * back decoded (tensors rebuilt, errors re-created). The call rejects at once when the signal
   * found in its arguments aborts (the worker is told to stop) or when the worker is lost.
   */
  async run<R>(perform: Perform): Promise<R> {
    const { value } = await this.start<R>(perform);
    return value;
  }

  /**
   * As `run`, also giving back the call (its id and signal) for work that outlives the answer.
   * With `onAbort: 'answer'`, an abort only tells the worker, and the call answers with what the
   * worker's code returns (a lost worker still rejects it).
   */
  start<R>(perform: Perform, onAbort: OnAbort = 'reject'): Promise<{ value: R; call: OutgoingCall }> {
    const api = this.#connect();
    const call = new OutgoingCall(this.#nextCallId++);
    return new Promise((resolve, reject) => {
      let abortListener: (() => void) | undefined;
      const fail = (error: unknown) => {
        cleanup();
        reject(error);
      };
      const cleanup = () => {
        this.#pending.delete(fail);
        if (abortListener) call.signal?.removeEventListener('abort', abortListener);
        call.settle();
      };
      this.#pending.add(fail);
      let sent: Promise<unknown>;
      try {
        sent = perform(api, call);
      } catch (error) {
        fail(error);
        return;
      }
      const signal = call.signal;
      if (signal) {
        abortListener = () => {
          void api.abort(call.id);
          if (onAbort === 'reject') fail(signal.reason);
        };
        if (signal.aborted) abortListener();
        else signal.addEventListener('abort', abortListener, { once: true });
      }
      sent.then(
        (value) => {
          cleanup();
          resolve({ value: fromWire(value) as R, call });
        },
        (error: unknown) => fail(isWireError(error) ? reviveError(error) : error),
      );
    });
  }

  /** Tells the worker to stop the call with this id (work that outlived its `run`, e.g. a stream). */
  abort(callId: number): void {
    void this.#api?.abort(callId);
  }

  /** Stops the worker now; pending calls reject and the next call starts a fresh worker. */
  terminate(): void {
    this.#lose('terminated', 'terminate() was called');
  }

  #connect(): Comlink.Remote<WorkerApi> {
    if (!this.#api) {
      const worker = this.startWorker();
      worker.addEventListener('error', (event) => {
        if (this.#worker === worker) this.#lose('crashed', describeErrorEvent(event), event);
      });
      worker.addEventListener('messageerror', (event) => {
        if (this.#worker === worker) this.#lose('unreadable_message', 'a message from the worker could not be read', event);
      });
      this.#worker = worker;
      this.#api = Comlink.wrap<WorkerApi>(worker);
      this.#sentSettings = '';
    }
    const settings = JSON.stringify(this.settings());
    if (settings !== this.#sentSettings) {
      this.#sentSettings = settings;
      void this.#api.configure(JSON.parse(settings) as WorkerEnvSettings);
    }
    return this.#api;
  }

  #lose(reason: WorkerLossReason, detail: string, cause?: unknown): void {
    const worker = this.#worker;
    if (!worker) return;
    this.#worker = null;
    this.#api = null;
    this.#generation++;
    worker.terminate();
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const fail of pending) fail(new WorkerLostError(reason, detail, cause));
  }
}

function describeErrorEvent(event: Event): string {
  const { message, filename, lineno } = event as ErrorEvent;
  if (typeof message === 'string' && message.length > 0) return filename ? `${message} (${filename}:${lineno})` : message;
  return 'the worker reported an error (it may have failed to load its script, or run out of memory)';
}
