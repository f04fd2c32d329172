/** Bytes that may wait in memory for the store before reading the body pauses. */
const DEFAULT_READ_AHEAD = 32 * 1024 * 1024;

/**
 * Passes chunks to a slower writer (the store) in order, without making the body wait for each
 * write. Browsers drop the part of a response they had received but not yet handed to the page
 * when the connection fails, so reading ahead of the store keeps more of a cut download for
 * resuming. Up to `limit` bytes wait; past that, `push` waits for the writer to catch up.
 */
export class ReadAheadWriter {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly write: (chunk: Uint8Array) => Promise<void>,
    private readonly limit = DEFAULT_READ_AHEAD,
  ) {}

  /** Queues a chunk; rejects with the writer's error once a write has failed. */
  async push(chunk: Uint8Array): Promise<void> {
    this.throwIfFailed();
    this.waiting += chunk.byteLength;
    this.tail = this.tail.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await this.write(chunk);
      } catch (error) {
        this.failure = { error };
      } finally {
        this.waiting -= chunk.byteLength;
      }
    });
    if (this.waiting > this.limit) await this.drain();
  }

  /** Waits until every queued chunk is written; rejects with the first write error. */
  async drain(): Promise<void> {
    await this.tail;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
