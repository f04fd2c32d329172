/**
 * The `TextStreamer` / `TextIteratorStreamer` of 'webformers' (in-thread) built over a remote
 * tokenizer, e.g. `new TextStreamer(generator.tokenizer)` with the wrong import. Its `put` cannot
 * decode on this thread (the remote tokenizer answers with promises), so a call treats it as the
 * `TextStreamer` of `webformers/worker`: the worker decodes with the same settings, and the
 * finalized text comes back to the streamer's own output (its callback, queue or console).
 */
import { TextStreamer as InThreadTextStreamer } from '../generation/index.js';
import type { TextRelay } from './remote-streamers.js';

/** The tokenizer of an in-thread text streamer; `undefined` for any other value. */
export function inThreadStreamerTokenizer(value: unknown): unknown {
  return value instanceof InThreadTextStreamer ? value.tokenizer : undefined;
}

export function isInThreadTextStreamer(value: unknown): value is InThreadTextStreamer {
  return value instanceof InThreadTextStreamer;
}

/** The relay of an in-thread streamer whose tokenizer lives in the worker. */
export function inThreadTextRelay(streamer: InThreadTextStreamer): TextRelay {
  let ended = false;
  const receive = (text: string, streamEnd: boolean) => {
    ended ||= streamEnd;
    streamer.onFinalizedText(text, streamEnd);
  };
  return {
    tokenizer: streamer.tokenizer,
    options: { skip_prompt: streamer.skipPrompt, decode_kwargs: { ...streamer.decodeOptions } },
    receive,
    // In-thread, `end()` closes a TextIteratorStreamer; a call that failed before it must too.
    settled: () => {
      if (!ended) receive('', true);
    },
  };
}
