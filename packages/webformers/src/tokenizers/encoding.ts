/**
 * Operations on `EncodingData`, each one the counterpart of a method of Rust's `tokenizers::Encoding`
 * (or of `utils::truncation` / `utils::padding`), so that truncation windows, padding and the order of
 * overflowing encodings come out exactly as the Rust library produces them.
 * Functions return new encodings; inputs are never modified.
 */
import { InvalidArgumentError } from '../utils/errors.js';
import {
  TokenizationError,
  type Direction,
  type EncodingData,
  type Offsets,
  type PaddingParams,
  type TruncationParams,
} from './types.js';

/**
 * An array to be filled at indices 0..length-1: sized up front, since one grown by push leaves a trail of
 * outgrown copies per encode; but V8 gives `new Array(n)` slow dictionary storage past about 100k, so a
 * longer one grows as usual.
 */
export function sizedArray<T>(length: number): T[] {
  return length <= 50_000 ? new Array<T>(length) : [];
}

export function emptyEncoding(): EncodingData {
  return {
    ids: [], tokens: [], offsets: [], typeIds: [], attentionMask: [],
    specialTokensMask: [], wordIds: [], sequenceIds: [], overflowing: [],
  };
}

/** A deep copy, overflowing included. */
export function cloneEncoding(e: EncodingData): EncodingData {
  return {
    ...sliceEncoding(e, 0, e.ids.length),
    overflowing: e.overflowing.map(cloneEncoding),
  };
}

/** Tokens [start, stop) of `e`, without its overflowing windows. */
export function sliceEncoding(e: EncodingData, start: number, stop: number): EncodingData {
  return {
    ids: e.ids.slice(start, stop),
    tokens: e.tokens.slice(start, stop),
    offsets: e.offsets.slice(start, stop).map(([s, t]): Offsets => [s, t]),
    typeIds: e.typeIds.slice(start, stop),
    attentionMask: e.attentionMask.slice(start, stop),
    specialTokensMask: e.specialTokensMask.slice(start, stop),
    wordIds: e.wordIds.slice(start, stop),
    sequenceIds: e.sequenceIds.slice(start, stop),
    overflowing: [],
  };
}

/** Rust's `set_type_ids` on the main encoding only (overflowing windows keep theirs, as in Rust). */
export function withTypeIds(e: EncodingData, typeId: number): EncodingData {
  return e.typeIds.every((t) => t === typeId) ? e : { ...e, typeIds: new Array<number>(e.ids.length).fill(typeId) };
}

/** Rust's `set_sequence_id`: every token of the main encoding belongs to sequence `id`. */
export function withSequenceId(e: EncodingData, id: number): EncodingData {
  return e.sequenceIds.every((s) => s === id) ? e : { ...e, sequenceIds: new Array<number | null>(e.ids.length).fill(id) };
}

/** The [start, stop) windows Rust's `Encoding::truncate` cuts, the kept one first. */
function truncationWindows(length: number, maxLength: number, stride: number, direction: Direction): Offsets[] {
  const step = maxLength - stride;
  const windows: Offsets[] = [];
  if (direction === 'right') {
    for (let start = 0; start < length; start += step) {
      const stop = Math.min(start + maxLength, length);
      windows.push([start, stop]);
      if (stop === length) break;
    }
  } else {
    for (let last = length - 1; last >= 0; last -= step) {
      const stop = last + 1;
      const start = Math.max(0, stop - maxLength);
      windows.push([start, stop]);
      if (start === 0) break;
    }
  }
  return windows;
}

/**
 * Keep `maxLength` tokens; the rest become `overflowing` windows that overlap by `stride` tokens.
 * Any previous overflowing windows are dropped, as Rust does.
 */
export function truncateEncoding(e: EncodingData, maxLength: number, stride: number, direction: Direction): EncodingData {
  const length = e.ids.length;
  if (maxLength >= length) return e;
  if (maxLength === 0) return { ...emptyEncoding(), overflowing: [e] };
  if (stride >= maxLength) {
    throw new InvalidArgumentError(`Truncation stride ${stride} must be smaller than the length kept (${maxLength}).`, {
      hint: 'Use a smaller stride or a larger max_length (special tokens count against max_length).',
    });
  }
  const [first, ...rest] = truncationWindows(length, maxLength, stride, direction);
  return {
    ...sliceEncoding(e, first[0], first[1]),
    overflowing: rest.map(([start, stop]) => sliceEncoding(e, start, stop)),
  };
}

/** Rust's `truncate_encodings`: shorten one sequence or a pair to `params.maxLength` tokens in all. */
export function truncateEncodings(
  first: EncodingData,
  pair: EncodingData | null,
  params: TruncationParams,
): [EncodingData, EncodingData | null] {
  const { maxLength, stride, direction, strategy } = params;
  if (maxLength === 0) {
    return [truncateEncoding(first, 0, stride, direction), pair && truncateEncoding(pair, 0, stride, direction)];
  }
  const total = first.ids.length + (pair?.ids.length ?? 0);
  if (total <= maxLength) return [first, pair];
  const toRemove = total - maxLength;

  if (strategy === 'longest_first') {
    if (!pair) return [truncateEncoding(first, maxLength, stride, direction), null];
    let [short, long] = [first.ids.length, pair.ids.length];
    const swapped = short > long;
    if (swapped) [short, long] = [long, short];
    long = short > maxLength ? short : Math.max(short, maxLength - short);
    if (short + long > maxLength) {
      short = Math.floor(maxLength / 2);
      long = short + (maxLength % 2);
    }
    const [n1, n2] = swapped ? [long, short] : [short, long];
    return [truncateEncoding(first, n1, stride, direction), truncateEncoding(pair, n2, stride, direction)];
  }

  const targetIsFirst = strategy === 'only_first';
  const target = targetIsFirst ? first : pair;
  if (!target) {
    throw new TokenizationError('Truncation strategy only_second needs a second sequence, but none was given.', {
      hint: "Pass text_pair, or use truncation 'longest_first' / 'only_first'.",
    });
  }
  if (target.ids.length <= toRemove) {
    throw new TokenizationError(
      `Truncation ${strategy} cannot fit ${total} tokens into ${maxLength}: the ${targetIsFirst ? 'first' : 'second'} sequence has only ${target.ids.length} tokens.`,
      { hint: "Use truncation 'longest_first', or a larger max_length." },
    );
  }
  const cut = truncateEncoding(target, target.ids.length - toRemove, stride, direction);
  return targetIsFirst ? [cut, pair] : [first, cut];
}

/** Rust's `Encoding::pad`: overflowing windows are padded too; pads are special, masked, with no word. */
export function padEncoding(e: EncodingData, targetLength: number, params: PaddingParams): EncodingData {
  const overflowing = e.overflowing.map((o) => padEncoding(o, targetLength, params));
  const n = targetLength - e.ids.length;
  if (n <= 0) return { ...e, overflowing };
  const fill = <T>(v: T): T[] => Array.from({ length: n }, () => v);
  const join = <T>(own: T[], pad: T[]): T[] => (params.direction === 'left' ? [...pad, ...own] : [...own, ...pad]);
  return {
    ids: join(e.ids, fill(params.padId)),
    tokens: join(e.tokens, fill(params.padToken)),
    offsets: join(e.offsets, Array.from({ length: n }, (): Offsets => [0, 0])),
    typeIds: join(e.typeIds, fill(params.padTypeId)),
    attentionMask: join(e.attentionMask, fill(0)),
    specialTokensMask: join(e.specialTokensMask, fill(1)),
    wordIds: join(e.wordIds, fill<number | null>(null)),
    sequenceIds: join(e.sequenceIds, fill<number | null>(null)),
    overflowing,
  };
}

/** Rust's `pad_encodings`: the target is the batch's longest main encoding (or a fixed length), rounded up to a multiple. */
export function padEncodings(encodings: EncodingData[], params: PaddingParams): EncodingData[] {
  if (encodings.length === 0) return encodings;
  let target = params.length === 'longest' ? Math.max(...encodings.map((e) => e.ids.length)) : params.length;
  const multiple = params.padToMultipleOf ?? 0;
  if (multiple > 0 && target % multiple > 0) target += multiple - (target % multiple);
  return encodings.map((e) => padEncoding(e, target, params));
}

/**
 * Rust's `Encoding::merge_with`: append `b` to `a`. Every overflowing window of either side is
 * combined with the other side (and with each other's windows), in Rust's order.
 */
export function mergeTwo(a: EncodingData, b: EncodingData, growingOffsets: boolean): EncodingData {
  const overflowing: EncodingData[] = [];
  for (const ao of a.overflowing) {
    overflowing.push(mergeTwo(ao, b, growingOffsets));
    for (const bo of b.overflowing) overflowing.push(mergeTwo(ao, bo, growingOffsets));
  }
  for (const bo of b.overflowing) overflowing.push(mergeTwo(a, bo, growingOffsets));
  const shift = growingOffsets ? (a.offsets.at(-1)?.[1] ?? 0) : 0;
  return {
    ids: [...a.ids, ...b.ids],
    tokens: [...a.tokens, ...b.tokens],
    offsets: [...a.offsets.map(([s, t]): Offsets => [s, t]), ...b.offsets.map(([s, t]): Offsets => [s + shift, t + shift])],
    typeIds: [...a.typeIds, ...b.typeIds],
    attentionMask: [...a.attentionMask, ...b.attentionMask],
    specialTokensMask: [...a.specialTokensMask, ...b.specialTokensMask],
    wordIds: [...a.wordIds, ...b.wordIds],
    sequenceIds: [...a.sequenceIds, ...b.sequenceIds],
    overflowing,
  };
}

/** Rust's `Encoding::merge`: fold the list into one encoding, starting from an empty one. */
export function mergeEncodings(encodings: EncodingData[], growingOffsets = false): EncodingData {
  if (encodings.some((e) => e.overflowing.length > 0)) {
    return encodings.reduce((acc, e) => mergeTwo(acc, e, growingOffsets), emptyEncoding());
  }
  // Without overflowing windows the fold is a plain concatenation; encodings are never modified, so a
  // single one is its own merge and a list is copied once instead of once per step.
  if (encodings.length === 1) return encodings[0];
  return concatEncodings(encodings, growingOffsets);
}

function concatEncodings(encodings: EncodingData[], growingOffsets: boolean): EncodingData {
  let length = 0;
  for (const e of encodings) length += e.ids.length;
  // One array of the final length per field: this runs once per encoded text, on a handful of encodings.
  const joined = <T>(pick: (e: EncodingData) => T[]): T[] => {
    const out = sizedArray<T>(length);
    let at = 0;
    for (const e of encodings) {
      const part = pick(e);
      for (let i = 0; i < part.length; i++) out[at++] = part[i];
    }
    return out;
  };
  let offsets: Offsets[];
  if (growingOffsets) {
    offsets = [];
    for (const e of encodings) {
      const shift = offsets.at(-1)?.[1] ?? 0;
      for (const [s, t] of e.offsets) offsets.push([s + shift, t + shift]);
    }
  } else {
    // Offset pairs are never modified in place, so the merged encoding can share its inputs' pairs.
    offsets = joined((e) => e.offsets);
  }
  return {
    ids: joined((e) => e.ids),
    tokens: joined((e) => e.tokens),
    offsets,
    typeIds: joined((e) => e.typeIds),
    attentionMask: joined((e) => e.attentionMask),
    specialTokensMask: joined((e) => e.specialTokensMask),
    wordIds: joined((e) => e.wordIds),
    sequenceIds: joined((e) => e.sequenceIds),
    overflowing: [],
  };
}

/** An encoding made of special tokens only (what post-processors insert): offsets [0, 0], no word, no sequence. */
export function specialTokensEncoding(ids: number[], tokens: string[], typeId: number): EncodingData {
  return {
    ids: [...ids],
    tokens: [...tokens],
    offsets: ids.map((): Offsets => [0, 0]),
    typeIds: ids.map(() => typeId),
    attentionMask: ids.map(() => 1),
    specialTokensMask: ids.map(() => 1),
    wordIds: ids.map(() => null),
    sequenceIds: ids.map(() => null),
    overflowing: [],
  };
}
