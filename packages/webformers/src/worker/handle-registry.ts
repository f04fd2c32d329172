/**
 * The worker's table of live objects. Handles are never reused within a worker's life, so a
 * stale handle (an object disposed, or a message arriving late) finds nothing instead of
 * finding a different object.
 */
import { DisposedHandleError } from './errors.js';
import type { Handle } from './protocol.js';

export class HandleRegistry<T> {
  #next: Handle = 1;
  readonly #items = new Map<Handle, T>();

  add(item: T): Handle {
    const handle = this.#next++;
    this.#items.set(handle, item);
    return handle;
  }

  /** The object named by `handle`; throws `DisposedHandleError` (naming `what`) when there is none. */
  get(handle: Handle, what: string): T {
    const item = this.#items.get(handle);
    if (item === undefined) throw new DisposedHandleError(what);
    return item;
  }

  /** Removes and returns the object, or `undefined` when the handle names nothing. */
  take(handle: Handle): T | undefined {
    const item = this.#items.get(handle);
    this.#items.delete(handle);
    return item;
  }

  get size(): number {
    return this.#items.size;
  }
}
