/**
 * A main-thread reference to an object in the worker. It remembers how the object was made, so
 * that after the worker was lost (and a fresh one started) the next use loads it again instead
 * of failing: a crash costs the calls in flight, not the objects the page holds.
 */
import { InvalidArgumentError } from '../utils/errors.js';
import { DisposedHandleError } from './errors.js';
import type { OutgoingCall } from './outgoing-call.js';
import type { Handle, OnAbort } from './protocol.js';
import { referencedHandles } from './remote-references.js';
import type { Perform, WorkerConnection } from './worker-connection.js';

type Create<I> = (api: Parameters<Perform>[0], call: OutgoingCall) => Promise<I>;
type PerformOn = (api: Parameters<Perform>[0], call: OutgoingCall, handle: Handle) => Promise<unknown>;

export class RemoteHandle<I extends { handle: Handle }> {
  #info: I;
  #generation: number;
  #disposed = false;

  private constructor(
    private readonly connection: WorkerConnection,
    private readonly create: Create<unknown>,
    private readonly what: string,
    info: I,
    generation: number,
  ) {
    this.#info = info;
    this.#generation = generation;
  }

  /** Makes the object in the worker; `create` is kept and replayed in a fresh worker. */
  static async open<I extends { handle: Handle }>(connection: WorkerConnection, what: string, create: Create<unknown>): Promise<RemoteHandle<I>> {
    const generation = connection.generation;
    const info = await connection.run<I>(create);
    return new RemoteHandle(connection, create, what, info, generation);
  }

  /**
   * Takes over an object that another call made (a pipeline's tokenizer), in the worker life of
   * `owner`; in a fresh worker, `create` finds the new one.
   */
  static adopt<I extends { handle: Handle }>(owner: RemoteHandle<{ handle: Handle }>, what: string, info: I, create: Create<unknown>): RemoteHandle<I> {
    return new RemoteHandle(owner.connection, create, what, info, owner.#generation);
  }

  /** What the worker reported when it made the object (e.g. a model's config). */
  get info(): I {
    return this.#info;
  }

  /** `info` of the object in the current worker, loading it again first if its worker was lost. */
  async currentInfo(): Promise<I> {
    await this.#current();
    return this.#info;
  }

  /**
   * Runs `perform` on the object, loading it again first if its worker was lost. `args` are the
   * call's arguments: remote objects among them are made current in the same way. `onAbort` as
   * for `WorkerConnection.run`.
   */
  async use<R>(perform: PerformOn, args?: unknown, onAbort?: OnAbort): Promise<R> {
    return (await this.start<R>(perform, args, onAbort)).value;
  }

  /** As `use`, also giving back the call, for work that outlives the answer (streams). */
  async start<R>(perform: PerformOn, args?: unknown, onAbort?: OnAbort): Promise<{ value: R; call: OutgoingCall }> {
    const others = referencedHandles(args);
    for (const other of others) {
      if (other.connection !== this.connection) {
        throw new InvalidArgumentError(`A ${other.what} from another worker client was passed to a ${this.what} call.`, { hint: 'Use objects loaded through the same client (the same webformers/worker import or createWorkerClient result).' });
      }
    }
    for (;;) {
      const handle = await this.#current();
      for (const other of others) await other.#current();
      // The worker may have been lost while `#current` awaited; the check and the send below
      // run without a pause in between, so a handle never reaches a worker that did not make it.
      const generation = this.connection.generation;
      if (this.#generation === generation && others.every((o) => o.#generation === generation)) {
        return this.connection.start<R>((api, call) => perform(api, call, handle), onAbort);
      }
    }
  }

  /** Releases the object in the worker (nothing to do if its worker is gone). Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#generation !== this.connection.generation) return;
    const { handle } = this.#info;
    await this.connection.run((api) => api.dispose(handle));
  }

  async #current(): Promise<Handle> {
    if (this.#disposed) throw new DisposedHandleError(this.what);
    if (this.#generation !== this.connection.generation) {
      const generation = this.connection.generation;
      this.#info = await this.connection.run<I>(this.create);
      this.#generation = generation;
    }
    return this.#info.handle;
  }
}
