/**
 * Which main-thread objects stand for objects in the worker. A remote tokenizer (or a streamer
 * built over one) can be passed as an argument to another call; it then crosses as the handle of
 * the worker's object, which must be loaded in the same worker life as the call (`RemoteHandle`
 * takes care of that before sending, see `referencedHandles`).
 */
import type { Handle } from './protocol.js';
import type { RemoteHandle } from './remote-handle.js';
import { toWire } from './wire-values.js';

type AnyRemoteHandle = RemoteHandle<{ handle: Handle }>;

const handles = new WeakMap<object, AnyRemoteHandle>();

/** Records that `object` (a remote tokenizer, a streamer over one) stands for `handle`'s object. */
export function rememberRemote(object: object, handle: AnyRemoteHandle): void {
  handles.set(object, handle);
}

/** The handle `value` stands for, if it is a remote object. */
export function remoteHandleOf(value: unknown): AnyRemoteHandle | undefined {
  return (typeof value === 'object' || typeof value === 'function') && value !== null ? handles.get(value) : undefined;
}

/** The remote objects found in call arguments (at any depth of arrays and plain objects). */
export function referencedHandles(args: unknown): AnyRemoteHandle[] {
  const found = new Set<AnyRemoteHandle>();
  toWire(args, undefined, (item) => {
    const handle = remoteHandleOf(item);
    if (handle) found.add(handle);
    return item;
  });
  return [...found];
}
