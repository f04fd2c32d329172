import type { ByteProgress } from './fetch-with-progress.js';

/** The events of one download, as each caller waiting for it hears them. */
export interface DownloadListener {
  download(): void;
  progress(bytes: ByteProgress): void;
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

  // Bound, because downloads pass them on as callbacks (`onProgress: events.progress`).
  readonly download = (): void => {
    this.started = true;
    for (const listener of this.listeners) this.tell(listener, (l) => l.download());
  };

  readonly progress = (bytes: ByteProgress): void => {
    this.latest = bytes;
    for (const listener of this.listeners) this.tell(listener, (l) => l.progress(bytes));
  };

  /** Throws what this listener threw, if it did. */
  settle(listener: DownloadListener): void {
    if (this.failures.has(listener)) throw this.failures.get(listener);
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

interface SharedDownload {
  audience: DownloadAudience;
  /** Callers that joined, waiting for their copy of the bytes. */
  joiners: { resolve(bytes: Uint8Array): void; reject(error: unknown): void }[];
}

/** Downloads in progress in this realm (page or worker), by URL. */
const inProgress = new Map<string, SharedDownload>();

/**
 * Runs `download` for `url` unless it is already running, in which case the caller waits for
 * that one: loading a model's files twice at once (two pipelines, a dtype probe) fetches and
 * stores each file once. Each caller that joined gets its own copy of the bytes, made before
 * the first caller gets the original, so each may transfer its ArrayBuffer to a worker without
 * detaching another's.
 * @param joined called when the caller joins a download already running.
 */
export async function sharedDownload(
  url: string,
  listener: DownloadListener,
  download: (events: DownloadListener) => Promise<Uint8Array>,
  joined: () => void,
): Promise<Uint8Array> {
  const running = inProgress.get(url);
  if (running !== undefined) {
    joined();
    running.audience.add(listener);
    const copy = await new Promise<Uint8Array>((resolve, reject) => running.joiners.push({ resolve, reject }));
    running.audience.settle(listener);
    return copy;
  }
  const shared: SharedDownload = { audience: new DownloadAudience(), joiners: [] };
  shared.audience.add(listener);
  inProgress.set(url, shared);
  let bytes: Uint8Array;
  try {
    bytes = await download(shared.audience);
  } catch (error) {
    for (const joiner of shared.joiners) joiner.reject(error);
    throw error;
  } finally {
    inProgress.delete(url);
  }
  for (const joiner of shared.joiners) joiner.resolve(bytes.slice());
  shared.audience.settle(listener);
  return bytes;
}
