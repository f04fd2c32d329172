import { describe, expect, it } from 'vitest';
import { ReadAheadWriter } from './read-ahead-writer.js';

/** A writer whose writes finish only when the test says so. */
function gatedWriter() {
  const written: number[] = [];
  const gates: (() => void)[] = [];
  const write = (chunk: Uint8Array) =>
    new Promise<void>((done) => {
      gates.push(() => {
        written.push(chunk[0]);
        done();
      });
    });
  const openGate = async () => {
    await new Promise((tick) => setTimeout(tick, 0));
    gates.shift()?.();
  };
  return { written, write, openGate };
}

describe('ReadAheadWriter', () => {
  it('accepts chunks while earlier writes are still running, and writes them in order', async () => {
    const writer = gatedWriter();
    const queue = new ReadAheadWriter(writer.write, 100);
    for (const value of [1, 2, 3]) await queue.push(new Uint8Array([value]));
    const drained = queue.drain();
    for (let i = 0; i < 3; i++) await writer.openGate();
    await drained;
    expect(writer.written).toEqual([1, 2, 3]);
  });

  it('makes push wait once more than the limit is waiting', async () => {
    const writer = gatedWriter();
    const queue = new ReadAheadWriter(writer.write, 10);
    await queue.push(new Uint8Array(10).fill(1));
    let settled = false;
    const over = queue.push(new Uint8Array(1).fill(2)).then(() => (settled = true));
    await new Promise((tick) => setTimeout(tick, 5));
    expect(settled).toBe(false);
    await writer.openGate();
    await writer.openGate();
    await over;
    expect(writer.written).toEqual([1, 2]);
  });

  it('stops writing after a failed write and rejects the next push and drain with its error', async () => {
    const failure = new Error('store refused');
    const written: number[] = [];
    const queue = new ReadAheadWriter(async (chunk) => {
      if (chunk[0] === 2) throw failure;
      written.push(chunk[0]);
    });
    await queue.push(new Uint8Array([1]));
    await queue.push(new Uint8Array([2]));
    await queue.push(new Uint8Array([3])).catch(() => undefined);
    await expect(queue.drain()).rejects.toBe(failure);
    await expect(queue.push(new Uint8Array([4]))).rejects.toBe(failure);
    expect(written).toEqual([1]);
  });
});
