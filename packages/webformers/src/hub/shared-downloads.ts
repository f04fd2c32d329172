import type { ByteProgress } from './fetch-with-progress.js';

/** The events of one download, as each caller waiting for it hears them. */
export interface DownloadListener {
  download(): void;
  progress(bytes: ByteProgress): void;
}

/** One caller of `sharedDownload`. */
export interface DownloadWaiter {
  listener: DownloadListener;
  /**
   * This caller's signal. When it aborts, this caller stops waiting (and hearing events) at once;
   * the download itself stops only once every caller waiting for it has aborted.
   */
  signal?: AbortSignal;
  /** What this caller's promise rejects with when its signal aborts. */
  abortError(): unknown;
  /** Called when the caller joins a download already running. */
  joined(): void;
}

/**
 * Passes a download's events to every caller waiting for it; one who joins late first hears
 * what it missed (the download started, the bytes so far). A listener that throws (a progress
 * callback with a bug) fails its own caller's load, not the download the others share.
 */
class DownloadAudience implements DownloadListener {
  private readonly failures = new Map<DownloadListener, unknown>();
  private readonly listeners = new Set<DownloadListener>();
  private started = false;
  private latest: ByteProgress | undefined;

  add(listener: DownloadListener): void {
    this.listeners.add(listener);
    if (this.started) this.tell(listener, (l) => l.download());
    const latest = this.latest;
    if (latest !== undefined) this.tell(listener, (l) => l.progress(latest));
  }

  remove(listener: DownloadListener): void {
    this.listeners.delete(listener);
  }

  // Bound, because downloads pass them on as callbacks (`onProgress: events.progress`).
  readonly download = (): void => {
    this.started = true;
    for (const listener of this.listeners) this.tell(listener, (l) => l.download());
  };

  readonly progress = (bytes: ByteProgress): void => {
    this.latest = bytes;
    for (const listener of this.listeners) this.tell(listener, (l) => l.progress(bytes));
  };

  /** What this listener threw, if it did. */
  failureOf(listener: DownloadListener): { error: unknown } | undefined {
    return this.failures.has(listener) ? { error: this.failures.get(listener) } : undefined;
  }

  private tell(listener: DownloadListener, event: (listener: DownloadListener) => void): void {
    try {
      event(listener);
    } catch (error) {
      this.failures.set(listener, error);
      this.listeners.delete(listener);
    }
  }
}

/** A caller waiting for the bytes. */
interface Waiting {
  listener: DownloadListener;
  resolve(bytes: Uint8Array): void;
  reject(error: unknown): void;
}

interface SharedDownload {
  audience: DownloadAudience;
  /** Callers still waiting, in the order they came. */
  waiting: Set<Waiting>;
  /** Aborted once every caller has aborted. */
  controller: AbortController;
  /** Settles once the download is over, including the clean-up after an abort. */
  finished: Promise<void>;
}

/** Downloads in progress in this realm (page or worker), by URL. */
const inProgress = new Map<string, SharedDownload>();

/**
 * Runs `download` for `url` unless it is already running, in which case the caller waits for
 * that one: loading a model's files twice at once (two pipelines, a dtype probe) fetches and
 * stores each file once. Every caller but one gets its own copy of the bytes, so each may
 * transfer its ArrayBuffer to a worker without detaching another's.
 * @param download gets the events to report and a signal that aborts when every caller has.
 */
export async function sharedDownload(
  url: string,
  waiter: DownloadWaiter,
  download: (events: DownloadListener, signal: AbortSignal) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  let running = inProgress.get(url);
  // A download every caller gave up on is still putting its part away for a resume; the next one
  // starts after it, so that it can resume from that part.
  while (running?.controller.signal.aborted) {
    await running.finished;
    running = inProgress.get(url);
  }
  if (waiter.signal?.aborted) throw waiter.abortError();
  if (running !== undefined) {
    waiter.joined();
    return wait(running, waiter);
  }
  const shared: SharedDownload = { audience: new DownloadAudience(), waiting: new Set(), controller: new AbortController(), finished: Promise.resolve() };
  inProgress.set(url, shared);
  // The first caller listens before the download can report anything.
  const bytes = wait(shared, waiter);
  shared.finished = download(shared.audience, shared.controller.signal).then(
    (result) => handOut(shared, result),
    (error: unknown) => {
      for (const waiting of shared.waiting) waiting.reject(error);
    },
  ).finally(() => {
    inProgress.delete(url);
  });
  return bytes;
}

/**
 * Resolves once no download of `url` is running in this realm. A load rejects as soon as its signal
 * aborts, while the download it started (when nobody else waits for it) goes on storing what
 * arrived; this waits for that too.
 */
export async function downloadSettled(url: string): Promise<void> {
  for (let running = inProgress.get(url); running !== undefined; running = inProgress.get(url)) await running.finished;
}

function wait(shared: SharedDownload, waiter: DownloadWaiter): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const { signal, listener } = waiter;
    const stopWaiting = () => {
      shared.waiting.delete(waiting);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      stopWaiting();
      shared.audience.remove(listener);
      reject(waiter.abortError());
      if (shared.waiting.size === 0) shared.controller.abort(signal?.reason);
    };
    const waiting: Waiting = {
      listener,
      resolve: (bytes) => {
        stopWaiting();
        resolve(bytes);
      },
      reject: (error) => {
        stopWaiting();
        reject(error);
      },
    };
    shared.waiting.add(waiting);
    shared.audience.add(listener);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The last caller gets the downloaded array itself, the others copies; a caller whose listener threw gets its error. */
function handOut(shared: SharedDownload, bytes: Uint8Array): void {
  const waiting = [...shared.waiting];
  for (const [index, caller] of waiting.entries()) {
    const failure = shared.audience.failureOf(caller.listener);
    if (failure !== undefined) caller.reject(failure.error);
    else caller.resolve(index === waiting.length - 1 ? bytes : bytes.slice());
  }
}
