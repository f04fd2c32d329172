import { describe, expect, it } from 'vitest';
import { TextIteratorStreamer, TextStreamer } from './streamers.js';

// Token pieces of a toy vocabulary; 5 and 6 are the two halves of "é" (U+FFFD until both are present).
const PIECES = ['Hello', ' wor', 'ld', '\n', '!', '\xC3', '\xA9', '你', '<s>'];
const tokenizer = {
  decode(ids: readonly number[], options: Record<string, unknown> = {}): string {
    const bytes = ids.filter((id) => !(options.skip_special_tokens && id === 8)).map((id) => PIECES[id]).join('');
    return new TextDecoder().decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0) > 0xff ? 0x3f : c.charCodeAt(0)))
      .replace(/\?/g, '你');
  },
};

function collect(options: ConstructorParameters<typeof TextStreamer>[1] = {}) {
  const chunks: string[] = [];
  return { chunks, streamer: new TextStreamer(tokenizer, { ...options, callback_function: (t) => chunks.push(t) }) };
}

describe('TextStreamer', () => {
  it('releases text at word boundaries and the rest at the end', () => {
    const { chunks, streamer } = collect();
    streamer.put([[0]]);
    streamer.put([[1]]);
    streamer.put([[2]]);
    expect(chunks).toEqual(['Hello ']);
    streamer.end();
    expect(chunks.join('')).toBe('Hello world');
  });

  it('skips the prompt when asked and flushes at a newline', () => {
    const { chunks, streamer } = collect({ skip_prompt: true });
    streamer.put([[0, 1]]);
    streamer.put([[2]]);
    streamer.put([[3]]);
    expect(chunks).toEqual(['ld\n']);
  });

  it('holds back a split multi-byte character until it is complete', () => {
    const { chunks, streamer } = collect();
    streamer.put([[0]]);
    streamer.put([[5]]);
    expect(chunks.join('')).not.toContain('\uFFFD');
    streamer.put([[6]]);
    streamer.end();
    expect(chunks.join('')).toBe('Helloé');
  });

  it('flushes after a CJK character and honours skip_special_tokens', () => {
    const { chunks, streamer } = collect({ skip_special_tokens: true });
    streamer.put([[8, 7]]);
    expect(chunks).toEqual(['你']);
  });

  it('refuses a batch', () => {
    expect(() => collect().streamer.put([[0], [1]])).toThrow(/one sequence/);
  });
});

describe('TextIteratorStreamer', () => {
  it('yields the chunks in order and ends with the stream', async () => {
    const streamer = new TextIteratorStreamer(tokenizer, { skip_prompt: true });
    const reading = (async () => {
      const out: string[] = [];
      for await (const chunk of streamer) out.push(chunk);
      return out;
    })();
    streamer.put([[4]]);
    for (const id of [0, 1, 2, 4]) {
      streamer.put([[id]]);
      await Promise.resolve();
    }
    streamer.end();
    expect((await reading).join('')).toBe('Hello world!');
  });
});
