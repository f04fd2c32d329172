/**
 * The worker's side of streamers passed on the main thread (`WireStreamer`, `WireTextStreamer`):
 * stand-ins that the generation loop feeds, sending what the main-thread object needs back
 * through the call's callbacks.
 */
import { TextStreamer, type StreamDecoder, type Streamer, type TextStreamerOptions } from '../generation/index.js';
import type { WireStreamer, WireTextStreamer } from './protocol.js';

type Relay = (id: number) => (...args: unknown[]) => void;

/** Forwards `put(token rows)` and `end()` to a main-thread streamer. */
export function forwardingStreamer(marker: WireStreamer, relay: Relay): Streamer {
  const put = relay(marker.put);
  const end = relay(marker.end);
  return { put: (tokens) => put(tokens), end: () => end() };
}

/** The in-thread `TextStreamer` over the worker's tokenizer; its finalized text goes back. */
export function relayedTextStreamer(marker: WireTextStreamer, tokenizer: StreamDecoder, relay: Relay): Streamer {
  return new RelayedTextStreamer(tokenizer, marker.options, relay(marker.text));
}

class RelayedTextStreamer extends TextStreamer {
  constructor(tokenizer: StreamDecoder, options: TextStreamerOptions, private readonly send: (text: string, streamEnd: boolean) => void) {
    super(tokenizer, options);
  }

  override onFinalizedText(text: string, streamEnd: boolean): void {
    // Empty chunks are not worth a message; the end always is (it closes iterators).
    if (text.length > 0 || streamEnd) this.send(text, streamEnd);
  }
}
