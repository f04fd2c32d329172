/**
 * Node-side access to the tokenizer goldens for component tests (models, decoders): the 14
 * tokenizer.json files, the dev corpus and the Rust goldens, plus the code point → UTF-16 offset
 * conversion. Paths follow test/support/tokenizer-suite.ts.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Json, Offsets } from '../../src/tokenizers/types.js';
import { readManifest, tokenizerJsonPath, TOKENIZER_FIXTURES, type CorpusLine, type ManifestEntry } from './tokenizer-suite.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const readText = (path: string) => readFile(repoRoot + path, 'utf8');

export interface GoldenEncoding {
  ids: number[];
  tokens: string[];
  offsets: Offsets[];
  /** Pairs only: 0 for the first text's tokens, 1 for the second's. */
  type_ids?: number[];
}

export interface GoldenRecord {
  id: string;
  cat: string;
  text: string;
  textPair?: string;
  nosp: GoldenEncoding;
  sp: GoldenEncoding;
  decode: { keep: string; skip: string };
}

export interface TokenizerGoldens {
  name: string;
  tokenizerJson: Json;
  records: GoldenRecord[];
}

export const manifest = (): Promise<ManifestEntry[]> => readManifest(readText);

const parseLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));

export async function loadTokenizerGoldens(entry: ManifestEntry): Promise<TokenizerGoldens> {
  const [json, corpusText, goldenText] = await Promise.all([
    readText(tokenizerJsonPath(entry)),
    readText(`${TOKENIZER_FIXTURES}/corpus/dev.jsonl`),
    readText(`${TOKENIZER_FIXTURES}/goldens/${entry.name}.dev.jsonl`),
  ]);
  const corpus = new Map((parseLines(corpusText) as CorpusLine[]).map((c) => [c.id, c]));
  const records = parseLines(goldenText).map((g): GoldenRecord => {
    const c = corpus.get(g.id);
    if (c === undefined) throw new Error(`golden ${g.id} of ${entry.name} has no corpus line`);
    return { id: g.id, cat: c.cat, text: c.text, textPair: c.text_pair, nosp: g.nosp, sp: g.sp ?? g.nosp, decode: g.decode };
  });
  return { name: entry.name, tokenizerJson: JSON.parse(json) as Json, records };
}

/** Golden offsets count code points; convert a [start, end) of `text` to UTF-16 units. */
export function codePointOffsetsToUtf16(text: string, [start, end]: Offsets): Offsets {
  const units = [0];
  for (const ch of text) units.push(units[units.length - 1] + ch.length);
  return [units[start], units[end]];
}

/** A stretch of one input text that the model saw whole: the text between two added tokens, and its golden tokens. */
export interface ModelSegment {
  /** The input text (the record's text or text_pair) this stretch is part of. */
  input: string;
  text: string;
  /** UTF-16 index of `text` in its input text. */
  start: number;
  ids: number[];
  tokens: string[];
  /** UTF-16, relative to the input text. */
  offsets: Offsets[];
}

/**
 * Cuts each input text of a record (`nosp`) at the added tokens the goldens show (their offsets say where
 * they were in the text), so the stretches between them can be given to a normalizer / pre-tokenizer /
 * model stand-in and compared with the golden tokens of that stretch.
 */
export function modelSegments(record: GoldenRecord, isAddedToken: (id: number, textAtOffsets: string) => boolean): ModelSegment[] {
  const { ids, tokens, offsets, type_ids: typeIds } = record.nosp;
  const texts = record.textPair === undefined ? [record.text] : [record.text, record.textPair];
  const segments: ModelSegment[] = [];
  texts.forEach((text, sequence) => {
    const open = (start: number): ModelSegment => ({ input: text, text: '', start, ids: [], tokens: [], offsets: [] });
    let current = open(0);
    const close = (end: number) => {
      current.text = text.slice(current.start, end);
      segments.push(current);
    };
    for (let i = 0; i < ids.length; i++) {
      if ((typeIds?.[i] ?? 0) !== sequence) continue;
      const utf16 = codePointOffsetsToUtf16(text, offsets[i]);
      if (isAddedToken(ids[i], text.slice(utf16[0], utf16[1]))) {
        close(utf16[0]);
        current = open(utf16[1]);
        continue;
      }
      current.ids.push(ids[i]);
      current.tokens.push(tokens[i]);
      current.offsets.push(utf16);
    }
    close(text.length);
  });
  return segments;
}

/** The golden tokens of one word; offsets are UTF-16, relative to `input`. */
export interface GoldenWord {
  input: string;
  ids: number[];
  tokens: string[];
  offsets: Offsets[];
}

/**
 * Groups the model tokens of each segment (see `modelSegments`) into words: the first token of a
 * segment, and every token for which `startsWord` holds, opens a new word.
 */
export function goldenWords(
  record: GoldenRecord,
  isAddedToken: (id: number, textAtOffsets: string) => boolean,
  startsWord: (token: string) => boolean,
): GoldenWord[] {
  const words: GoldenWord[] = [];
  for (const segment of modelSegments(record, isAddedToken)) {
    segment.tokens.forEach((token, i) => {
      if (i === 0 || startsWord(token)) words.push({ input: segment.input, ids: [], tokens: [], offsets: [] });
      const word = words[words.length - 1];
      word.ids.push(segment.ids[i]);
      word.tokens.push(token);
      word.offsets.push(segment.offsets[i]);
    });
  }
  return words;
}
