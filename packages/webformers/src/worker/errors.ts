/** Failures of the worker itself, as opposed to failures of the work it runs. */
import { WebformersError } from '../utils/errors.js';

export type WorkerLossReason = 'crashed' | 'terminated' | 'unreadable_message';

/**
 * The worker stopped while calls were pending (an uncaught error or out of memory in the worker,
 * a message it could not read, or `terminate()`). Those calls reject with this error; the next
 * call starts a fresh worker and loads again what it needs.
 */
export class WorkerLostError extends WebformersError {
  readonly reason: WorkerLossReason;

  constructor(reason: WorkerLossReason, detail: string, cause?: unknown) {
    super('worker_lost', `The webformers worker ${reason === 'terminated' ? 'was terminated' : 'stopped'} before the call finished: ${detail}.`, {
      hint: reason === 'terminated'
        ? 'Call again: a fresh worker starts and reloads the model.'
        : 'Call again to start a fresh worker; if it keeps failing, load a smaller dtype (q8, q4) or fewer models at once.',
      cause,
    });
    this.reason = reason;
  }
}

/** A pipeline, model or tokenizer was used after `dispose()`. */
export class DisposedHandleError extends WebformersError {
  constructor(what: string) {
    super('disposed', `This ${what} was disposed.`, { hint: `Load the ${what} again to keep using it.` });
  }
}

/** The worker could not be started (bad URL, blocked by CSP or COEP, no Worker support). */
export class WorkerStartError extends WebformersError {
  constructor(url: string, cause: unknown) {
    super('worker_start', `Could not start the webformers worker from ${url}.`, {
      hint: 'Pass workerURL pointing at the built worker-entry.js (same origin, or served with CORS headers), and check the page CSP allows workers and blob: URLs.',
      cause,
    });
  }
}
