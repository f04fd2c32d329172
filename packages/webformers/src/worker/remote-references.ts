/**
 * Which main-thread objects stand for objects in the worker. A remote tokenizer (or a streamer
 * built over one) can be passed as an argument to another call; it then crosses as the handle of
 * the worker's object, which must be loaded in the same worker life as the call (`RemoteHandle`
 * takes care of that before sending, see `referencedHandles`).
 */
import { inThreadStreamerTokenizer } from './in-thread-streamers.js';
import type { Handle } from './protocol.js';
import type { RemoteHandle } from './remote-handle.js';
import { toWire } from './wire-values.js';

type AnyRemoteHandle = RemoteHandle<{ handle: Handle }>;

const handles = new WeakMap<object, AnyRemoteHandle>();

/** Records that `object` (a remote tokenizer, a streamer over one) stands for `handle`'s object. */
export function rememberRemote(object: object, handle: AnyRemoteHandle): void {
  handles.set(object, handle);
}

/**
 * The handle `value` stands for, if it is a remote object; an in-thread text streamer stands for
 * its tokenizer's, when that is remote (`in-thread-streamers.ts`).
 */
export function remoteHandleOf(value: unknown): AnyRemoteHandle | undefined {
  const handleOf = (item: unknown) => ((typeof item === 'object' || typeof item === 'function') && item !== null ? handles.get(item) : undefined);
  return handleOf(value) ?? handleOf(inThreadStreamerTokenizer(value));
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
