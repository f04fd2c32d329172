/**
 * `TextStreamer` and `TextIteratorStreamer` of `webformers/worker`: the constructors of the
 * in-thread ones, over a remote tokenizer (`AutoTokenizer.from_pretrained` or
 * `generator.tokenizer` of `webformers/worker`). They do not decode on this thread, where the
 * tokenizer only answers with promises: passed as `streamer` to a call, each crosses as a recipe
 * (`WireTextStreamer`), the worker builds the in-thread streamer over its own tokenizer, and only
 * the finalized text comes back. So transformers.js code ports unchanged:
 *
 * ```ts
 * const streamer = new TextStreamer(generator.tokenizer, { skip_prompt: true, callback_function: (t) => out.append(t) });
 * await generator(messages, { max_new_tokens: 64, streamer });
 * ```
 */
import type { Streamer, TextStreamerOptions } from '../generation/index.js';
import { InvalidArgumentError, NotSupportedError } from '../utils/errors.js';
import type { RemoteTokenizer, WireTextStreamer } from './protocol.js';
import { rememberRemote, remoteHandleOf } from './remote-references.js';

/**
 * What a call needs of a streamer that decodes in the worker: the options the worker's
 * streamer is built with, where its finalized text goes, and a way to learn that the call has
 * settled (iterators then stop waiting, also when the call failed before the stream's end).
 */
export interface TextRelay {
  /** The remote tokenizer the worker decodes with. */
  tokenizer: unknown;
  options: WireTextStreamer['options'];
  receive(text: string, streamEnd: boolean): void;
  settled(): void;
}

/** Internal to webformers/worker: the streamer's `TextRelay`. */
export const textRelay = Symbol('textRelay');

export class TextStreamer implements Streamer {
  readonly #options: TextStreamerOptions;

  constructor(readonly tokenizer: RemoteTokenizer, options: TextStreamerOptions = {}) {
    const handle = remoteHandleOf(tokenizer);
    if (!handle) {
      throw new InvalidArgumentError('The TextStreamer of webformers/worker needs a tokenizer that lives in the worker.', {
        hint: "Pass generator.tokenizer or a tokenizer from AutoTokenizer.from_pretrained of webformers/worker (for a tokenizer on this thread, use the TextStreamer of 'webformers').",
      });
    }
    rememberRemote(this, handle);
    this.#options = options;
  }

  [textRelay](): TextRelay {
    const { callback_function: _local, ...options } = this.#options;
    return {
      tokenizer: this.tokenizer,
      options,
      receive: (text, streamEnd) => this.onFinalizedText(text, streamEnd),
      settled: () => this.callSettled(),
    };
  }

  put(): void {
    throw notHere();
  }

  end(): void {
    throw notHere();
  }

  /** The call that carried the streamer has settled. */
  protected callSettled(): void {}

  /** Where finalized text goes: `callback_function`, else the console (there is no stdout here). */
  protected onFinalizedText(text: string, _streamEnd: boolean): void {
    if (text.length > 0) (this.#options.callback_function ?? console.log)(text);
  }
}

/**
 * A `TextStreamer` read as an async iterator of text chunks: pass it to a call and, meanwhile,
 * `for await (const chunk of streamer)`. The iteration ends with the call, also when the call
 * fails (its promise carries the error).
 */
export class TextIteratorStreamer extends TextStreamer implements AsyncIterable<string> {
  readonly #ready: string[] = [];
  #closed = false;
  #notify: (() => void) | undefined;

  constructor(tokenizer: RemoteTokenizer, options: Omit<TextStreamerOptions, 'callback_function'> = {}) {
    super(tokenizer, options);
  }

  protected override onFinalizedText(text: string, streamEnd: boolean): void {
    if (text.length > 0) this.#ready.push(text);
    if (streamEnd) this.#closed = true;
    this.#wake();
  }

  protected override callSettled(): void {
    this.#closed = true;
    this.#wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    while (this.#ready.length > 0 || !this.#closed) {
      if (this.#ready.length === 0) await new Promise<void>((wake) => { this.#notify = wake; });
      yield* this.#ready.splice(0);
    }
  }

  #wake(): void {
    const notify = this.#notify;
    this.#notify = undefined;
    notify?.();
  }
}

function notHere(): NotSupportedError {
  return new NotSupportedError('The TextStreamer of webformers/worker streams only from inside the worker.', {
    hint: 'Pass it as `streamer` to a pipeline or generate() call of webformers/worker.',
  });
}
