/**
 * Builds the tokenizer.json `decoder` component. `decodeChain` returns string pieces whose
 * concatenation is the decoded text (Rust's `Decoder::decode` joins them with "").
 */
import { patternFromConfig } from '../pattern.js';
import { TokenizerConfigError, type Decoder, type Json } from '../types.js';
import { isJsonObject, readBoolean, readChar, readCount, readOptionalString, readString } from '../models/config-fields.js';
import { BpeDecoder } from './bpe.js';
import { ByteFallbackDecoder } from './byte-fallback.js';
import { ByteLevelDecoder } from './byte-level.js';
import { CtcDecoder } from './ctc.js';
import { FuseDecoder } from './fuse.js';
import { MetaspaceDecoder, type PrependScheme } from './metaspace.js';
import { ReplaceDecoder } from './replace.js';
import { SequenceDecoder } from './sequence.js';
import { StripDecoder } from './strip.js';
import { WordPieceDecoder } from './wordpiece.js';

type DecoderFactory = (json: Json, component: string) => Decoder;

const PREPEND_SCHEMES: readonly PrependScheme[] = ['always', 'first', 'never'];

function readPrependScheme(json: Json, component: string): PrependScheme {
  const scheme = readOptionalString(json, 'prepend_scheme', component);
  if (scheme === null) {
    // Files written before `prepend_scheme` existed say `add_prefix_space: false` for "never".
    return readBoolean(json, 'add_prefix_space', component, true) ? 'always' : 'never';
  }
  if (!(PREPEND_SCHEMES as readonly string[]).includes(scheme)) {
    throw new TokenizerConfigError(`${component}.prepend_scheme`, `expected one of ${PREPEND_SCHEMES.join(', ')}, got ${JSON.stringify(scheme)}`);
  }
  return scheme as PrependScheme;
}

const DECODER_FACTORIES: Record<string, DecoderFactory> = {
  ByteLevel: () => new ByteLevelDecoder(),
  WordPiece: (json, c) => new WordPieceDecoder(readString(json, 'prefix', c, '##'), readBoolean(json, 'cleanup', c, true)),
  Metaspace: (json, c) => new MetaspaceDecoder(readChar(json, 'replacement', c, '\u2581'), readPrependScheme(json, c)),
  BPEDecoder: (json, c) => new BpeDecoder(readString(json, 'suffix', c, '</w>')),
  ByteFallback: () => new ByteFallbackDecoder(),
  Fuse: () => new FuseDecoder(),
  Strip: (json, c) => new StripDecoder(readChar(json, 'content', c, ' '), readCount(json, 'start', c, 0), readCount(json, 'stop', c, 0)),
  Replace: (json, c) => new ReplaceDecoder(patternFromConfig(json.pattern, `${c}.pattern`), readString(json, 'content', c)),
  CTC: (json, c) =>
    new CtcDecoder(readString(json, 'pad_token', c, '<pad>'), readString(json, 'word_delimiter_token', c, '|'), readBoolean(json, 'cleanup', c, true)),
  Sequence: (json, c) => {
    const decoders = json.decoders;
    if (!Array.isArray(decoders)) throw new TokenizerConfigError(`${c}.decoders`, 'expected an array of decoders');
    return new SequenceDecoder(decoders.map((d: unknown, i) => buildDecoder(d, `${c}.decoders[${i}]`)));
  },
};

function buildDecoder(json: unknown, component: string): Decoder {
  if (!isJsonObject(json)) throw new TokenizerConfigError(component, 'expected a decoder object');
  const type = json.type;
  const factory = typeof type === 'string' && Object.hasOwn(DECODER_FACTORIES, type) ? DECODER_FACTORIES[type] : undefined;
  if (factory === undefined) {
    throw new TokenizerConfigError(`${component}.type`, `unknown decoder type ${JSON.stringify(type)}; supported: ${Object.keys(DECODER_FACTORIES).join(', ')}`);
  }
  return factory(json, component);
}

/** null when tokenizer.json has no decoder (then Rust joins tokens with spaces; see `decodeIds`). */
export function decoderFromConfig(json: unknown, component = 'decoder'): Decoder | null {
  return json === null || json === undefined ? null : buildDecoder(json, component);
}

export { BpeDecoder, ByteFallbackDecoder, ByteLevelDecoder, CtcDecoder, FuseDecoder, MetaspaceDecoder, ReplaceDecoder, SequenceDecoder, StripDecoder, WordPieceDecoder };
