/**
 * A `WorkerLike` for Node tests: the host runs on this thread behind a `MessageChannel`, so the
 * client and host talk through real structured clone, transfers and Comlink, as with a Worker.
 * `crash()` plays the part of a worker that died (the `error` event a Worker would fire).
 */
import * as Comlink from 'comlink';
import { WorkerHost, type HostRuntime } from '../../src/worker/host.js';
import type { WorkerLike } from '../../src/worker/worker-connection.js';

export interface InProcessWorker extends WorkerLike {
  host: WorkerHost;
  terminated: boolean;
  crash(message: string): void;
}

export function startInProcessWorker(runtime: HostRuntime): InProcessWorker {
  const { port1, port2 } = new MessageChannel();
  const host = new WorkerHost(runtime);
  Comlink.expose(host, port2 as unknown as Comlink.Endpoint);
  const events = new EventTarget();
  const worker: InProcessWorker = {
    host,
    terminated: false,
    postMessage: (message: unknown, transfer?: Transferable[]) => port1.postMessage(message, transfer ?? []),
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      if (type === 'message') port1.addEventListener('message', listener as EventListener);
      else events.addEventListener(type, listener);
    },
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      if (type === 'message') port1.removeEventListener('message', listener as EventListener);
      else events.removeEventListener(type, listener);
    },
    start: () => port1.start(),
    terminate: () => {
      worker.terminated = true;
      port1.close();
      port2.close();
    },
    crash: (message: string) => {
      const event = new Event('error') as Event & { message: string };
      event.message = message;
      events.dispatchEvent(event);
    },
  };
  return worker;
}

/**
 * `fetch` that repeats a request once when the connection was reset. Under heavy load, Node's
 * pooled keep-alive sockets to the local test server are sometimes closed by the server just as
 * they are reused (ECONNRESET before any byte of the answer); a browser retries those itself.
 */
export const fetchRetryingResets: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (error) {
    if (!String((error as Error).cause ?? error).includes('ECONNRESET')) throw error;
    return fetch(input, init);
  }
};
