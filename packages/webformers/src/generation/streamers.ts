/**
 * Streamers with the behaviour of Python's `TextStreamer` / `TextIteratorStreamer` and
 * transformers.js's `TextStreamer`: tokens are decoded as a growing cache and text is released at
 * word boundaries (a space), at once after a newline or a CJK character, and in full at the end.
 * Text ending in U+FFFD is held back: the next token may complete a multi-byte character.
 */
import { InvalidArgumentError } from '../utils/errors.js';
import type { StreamDecoder, Streamer, TokenRows } from './types.js';

export interface TextStreamerOptions {
  /** Do not emit the prompt (the first `put`). Default false. */
  skip_prompt?: boolean;
  /** Shorthand for `decode_kwargs.skip_special_tokens`. */
  skip_special_tokens?: boolean;
  /** Receives each finalized chunk; default writes to stdout (Node) or the console. */
  callback_function?: (text: string) => void;
  /** Extra options for `tokenizer.decode`. */
  decode_kwargs?: Record<string, unknown>;
}

export class TextStreamer implements Streamer {
  // Public and read-only, as in transformers.js: webformers/worker reads them to rebuild a
  // streamer made over a remote tokenizer inside the worker.
  readonly decodeOptions: Record<string, unknown>;
  readonly skipPrompt: boolean;
  private readonly callback: ((text: string) => void) | undefined;
  private tokenCache: number[] = [];
  private printedLength = 0;
  private nextIsPrompt = true;

  constructor(readonly tokenizer: StreamDecoder, options: TextStreamerOptions = {}) {
    this.skipPrompt = options.skip_prompt ?? false;
    this.callback = options.callback_function;
    this.decodeOptions = { ...options.decode_kwargs };
    if (options.skip_special_tokens !== undefined) this.decodeOptions.skip_special_tokens = options.skip_special_tokens;
  }

  put(tokens: TokenRows): void {
    if (tokens.length > 1) {
      throw new InvalidArgumentError(`TextStreamer streams one sequence, got a batch of ${tokens.length}.`, { hint: 'Generate one prompt at a time when streaming.' });
    }
    if (this.skipPrompt && this.nextIsPrompt) {
      this.nextIsPrompt = false;
      return;
    }
    this.nextIsPrompt = false;
    this.tokenCache.push(...(tokens[0] ?? []));
    const text = this.tokenizer.decode(this.tokenCache, this.decodeOptions);
    let printable: string;
    if (text.endsWith('\n')) {
      printable = text.slice(this.printedLength);
      this.tokenCache = [];
      this.printedLength = 0;
    } else if (text.endsWith('\uFFFD')) {
      printable = '';
    } else if (text.length > 0 && isCjkCodePoint(lastCodePoint(text))) {
      printable = text.slice(this.printedLength);
      this.printedLength += printable.length;
    } else {
      printable = text.slice(this.printedLength, text.lastIndexOf(' ') + 1);
      this.printedLength += printable.length;
    }
    this.onFinalizedText(printable, false);
  }

  end(): void {
    let printable = '';
    if (this.tokenCache.length > 0) {
      printable = this.tokenizer.decode(this.tokenCache, this.decodeOptions).slice(this.printedLength);
      this.tokenCache = [];
      this.printedLength = 0;
    }
    this.nextIsPrompt = true;
    this.onFinalizedText(printable, true);
  }

  /** Where finalized text goes; subclasses redirect it. */
  /** Where finalized text goes: the callback, or stdout / the console. Subclasses redirect it. */
  onFinalizedText(text: string, streamEnd: boolean): void {
    if (this.callback) {
      if (text.length > 0) this.callback(text);
      return;
    }
    writeOut(streamEnd ? `${text}\n` : text);
  }
}

/**
 * A `TextStreamer` read as an async iterator of text chunks, like Python's `TextIteratorStreamer`:
 * pass it to `generate()` and, concurrently, `for await (const chunk of streamer)`.
 */
export class TextIteratorStreamer extends TextStreamer implements AsyncIterable<string> {
  private readonly queue: string[] = [];
  private finished = false;
  private wake: (() => void) | null = null;

  constructor(tokenizer: StreamDecoder, options: Omit<TextStreamerOptions, 'callback_function'> = {}) {
    super(tokenizer, options);
  }

  override onFinalizedText(text: string, streamEnd: boolean): void {
    if (text.length > 0) this.queue.push(text);
    if (streamEnd) this.finished = true;
    this.wake?.();
    this.wake = null;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk !== undefined) {
        yield chunk;
        continue;
      }
      if (this.finished) return;
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }
}

function lastCodePoint(text: string): number {
  const last = text.codePointAt(text.length - 1) as number;
  // A trailing low surrogate belongs to a pair: read the whole code point.
  return last >= 0xdc00 && last <= 0xdfff && text.length > 1 ? (text.codePointAt(text.length - 2) as number) : last;
}

/** The CJK Unified Ideograph blocks Python's streamer flushes on (CJK text has no spaces). */
function isCjkCodePoint(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df)
    || (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function writeOut(text: string): void {
  const stdout = (globalThis as { process?: { stdout?: { write(s: string): unknown } } }).process?.stdout;
  if (stdout) stdout.write(text);
  else if (text.length > 0) console.log(text);
}
