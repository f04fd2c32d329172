import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { FIXTURE_MODELS, expectFileBytes, isolateEnv } from '../../test/support/hub-fixtures.js';
import { startHubServer, type HubServer } from '../../test/support/hub-server.js';
import { ModelFileError } from './errors.js';
import { getModelFile } from './get-model-file.js';
import { downloadSettled, sharedDownload, type DownloadWaiter } from './shared-downloads.js';
import type { ProgressInfo } from './types.js';

const MODEL = 'tiny-random-gpt2';
const FILE = 'onnx/model.onnx';

describe('concurrent loads of one file', () => {
  isolateEnv();
  let hub: HubServer;
  beforeEach(async () => {
    hub = await startHubServer({ root: FIXTURE_MODELS });
    env.remoteHost = hub.url;
    // Slow enough that the second load starts while the first is still downloading.
    hub.setFault(`${MODEL}/${FILE}`, { kind: 'slow', chunkSize: 512 * 1024, delayMs: 5 });
  });
  afterEach(async () => {
    await hub.close();
  });

  it('share one request, and each caller gets the whole file in a buffer of its own', async () => {
    const [a, b, c] = await Promise.all([getModelFile(MODEL, FILE), getModelFile(MODEL, FILE), getModelFile(MODEL, FILE)]);
    expect(hub.requests.filter((r) => r.file === FILE)).toHaveLength(1);
    for (const bytes of [a, b, c]) await expectFileBytes(bytes, MODEL, FILE);
    expect(new Set([a!.buffer, b!.buffer, c!.buffer]).size).toBe(3);
  });

  it('tell a caller that joins late about the download and the bytes so far, then go on in order', async () => {
    const first: ProgressInfo[] = [];
    const late: ProgressInfo[] = [];
    const firstLoad = getModelFile(MODEL, FILE, { progress_callback: (e) => first.push(e) });
    await new Promise<void>((resolve) => {
      const wait = () => (first.some((e) => e.status === 'progress') ? resolve() : setTimeout(wait, 1));
      wait();
    });
    await Promise.all([firstLoad, getModelFile(MODEL, FILE, { progress_callback: (e) => late.push(e) })]);

    for (const events of [first, late]) {
      expect(events.map((e) => e.status).filter((s, i, all) => s !== all[i - 1])).toEqual(['initiate', 'download', 'progress', 'done']);
      const loaded = events.flatMap((e) => (e.status === 'progress' ? [e.loaded] : []));
      for (let i = 1; i < loaded.length; i++) expect(loaded[i]).toBeGreaterThan(loaded[i - 1]);
      expect(events.at(-2)).toMatchObject({ status: 'progress', progress: 100 });
    }
    // The late caller's first progress event is the bytes already there when it joined, not zero.
    const firstLate = late.find((e) => e.status === 'progress');
    expect(firstLate?.status === 'progress' && firstLate.loaded).toBeGreaterThan(0);
  });

  it('fail together when the one download fails', async () => {
    hub.setFault(`${MODEL}/${FILE}`, { kind: 'cut' });
    const results = await Promise.allSettled([getModelFile(MODEL, FILE), getModelFile(MODEL, FILE)]);
    expect(hub.requests).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(ModelFileError);
      expect((error as ModelFileError).reason).toBe('truncated');
    }
  });

  it('fail only the caller whose progress callback throws', async () => {
    const bug = new Error('progress bar bug');
    const results = await Promise.allSettled([
      getModelFile(MODEL, FILE, {
        progress_callback: (e) => {
          if (e.status === 'progress') throw bug;
        },
      }),
      getModelFile(MODEL, FILE),
    ]);
    expect(results[0]).toEqual({ status: 'rejected', reason: bug });
    expect(results[1].status).toBe('fulfilled');
    await expectFileBytes((results[1] as PromiseFulfilledResult<Uint8Array | null>).value, MODEL, FILE);
    expect(hub.requests).toHaveLength(1);
  });

  it('start a new download once the shared one has finished', async () => {
    hub.setFault(`${MODEL}/${FILE}`, undefined);
    await getModelFile(MODEL, FILE);
    await getModelFile(MODEL, FILE);
    expect(hub.requests).toHaveLength(2);
  });
});

const URL_A = 'https://example.test/m/resolve/main/a.onnx';

function waiterWith(signal: AbortSignal): DownloadWaiter {
  return { listener: { download: () => undefined, progress: () => undefined }, signal, abortError: () => new Error('aborted'), joined: () => undefined };
}

describe('downloadSettled', () => {
  it('waits past an aborted load until its download has put away what arrived', async () => {
    let finishStoring!: () => void;
    const storing = new Promise<void>((resolve) => (finishStoring = resolve));
    const steps: string[] = [];
    const controller = new AbortController();
    const load = sharedDownload(URL_A, waiterWith(controller.signal), async (_events, signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await storing;
      steps.push('stored');
      throw new Error('download aborted');
    });
    controller.abort();
    await expect(load).rejects.toThrow('aborted');
    const settled = downloadSettled(URL_A).then(() => steps.push('settled'));
    await Promise.resolve();
    expect(steps).toEqual([]);
    finishStoring();
    await settled;
    expect(steps).toEqual(['stored', 'settled']);
  });

  it('resolves at once when nothing of that URL is running', async () => {
    await expect(downloadSettled('https://example.test/none')).resolves.toBeUndefined();
  });
});
