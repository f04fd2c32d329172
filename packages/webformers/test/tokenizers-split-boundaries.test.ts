/**
 * Added tokens + normalizer + pre-tokenizer, checked against the Rust goldens of all 14 tokenizers
 * without any model: every golden token must come, in order, from exactly one of our pieces (its
 * offsets inside the piece's original span), and the golden tokens of a piece must spell the
 * piece's normalized text (byte-level tokens as they are; WordPiece without "##"; byte-fallback
 * tokens as the UTF-8 they encode). A piece that yields an unknown token is checked on offsets only.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AddedVocabulary } from '../src/tokenizers/added-vocabulary.js';
import { normalizerFromConfig } from '../src/tokenizers/normalizers/index.js';
import { preTokenizerFromConfig } from '../src/tokenizers/pre-tokenizers/index.js';
import type { AddedTokenConfig, Json, TokenizerModel } from '../src/tokenizers/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures/tokenizers');
const repoRoot = join(here, '../../..');

interface ManifestEntry {
  name: string;
  npm_path?: string;
}
interface Golden {
  id: string;
  nosp: { tokens: string[]; offsets: [number, number][]; type_ids?: number[] };
}
interface CorpusLine {
  id: string;
  text: string;
  text_pair?: string;
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

/** Only what AddedVocabulary asks of a model: its vocabulary. */
function vocabOnlyModel(model: Json): TokenizerModel {
  const vocab = new Map<string, number>();
  if (Array.isArray(model.vocab)) (model.vocab as [string, number][]).forEach(([piece], i) => vocab.set(piece, i));
  else for (const [piece, id] of Object.entries(model.vocab as Record<string, number>)) vocab.set(piece, id);
  const byId = new Map([...vocab].map(([p, i]) => [i, p]));
  return {
    tokenize: () => [],
    tokenToId: (t) => vocab.get(t),
    idToToken: (i) => byId.get(i),
    getVocab: () => vocab,
    vocabSize: vocab.size,
  };
}

/** Code point offsets → UTF-16 offsets of `text`. */
function utf16Index(text: string): (cp: number) => number {
  const starts: number[] = [];
  let u = 0;
  for (const ch of text) {
    starts.push(u);
    u += ch.length;
  }
  starts.push(u);
  return (cp) => starts[cp];
}

const utf8Decoder = new TextDecoder();

/** What a golden token spells in the normalized text, or null for an unknown token. */
function spelling(token: string, modelType: string, unk: string | null): string | null {
  if (token === unk) return null;
  if (modelType === 'WordPiece') return token.startsWith('##') ? token.slice(2) : token;
  return token;
}

function joinSpellings(tokens: string[], modelType: string, unk: string | null): string | null {
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) out += utf8Decoder.decode(new Uint8Array(bytes));
    bytes = [];
  };
  for (const t of tokens) {
    const byte = /^<0x([0-9A-F]{2})>$/.exec(t);
    if (byte) {
      bytes.push(parseInt(byte[1], 16));
      continue;
    }
    flush();
    const s = spelling(t, modelType, unk);
    if (s === null) return null;
    out += s;
  }
  flush();
  return out;
}

const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as ManifestEntry[];
const corpus = readJsonl<CorpusLine>(join(fixtures, 'corpus/dev.jsonl'));

/** The texts of a corpus line with their golden tokens (a pair's halves are told apart by type id). */
function sequences(line: CorpusLine, golden: Golden): { text: string; tokens: string[]; offsets: [number, number][] }[] {
  const { tokens, offsets, type_ids } = golden.nosp;
  if (line.text_pair === undefined) return [{ text: line.text, tokens, offsets }];
  // Without type ids (T5 gives both halves type 0) the second half starts where offsets go back.
  const firstOfPair = type_ids?.includes(1) ? type_ids.indexOf(1) : offsets.findIndex((o, i) => i > 0 && o[0] < offsets[i - 1][0]);
  const cut = firstOfPair < 0 ? tokens.length : firstOfPair;
  const half = (t: number) => ({
    tokens: t === 0 ? tokens.slice(0, cut) : tokens.slice(cut),
    offsets: t === 0 ? offsets.slice(0, cut) : offsets.slice(cut),
  });
  return [
    { text: line.text, ...half(0) },
    { text: line.text_pair, ...half(1) },
  ];
}

/** Why `text` does not split like its golden tokens, or null when it does. */
function splitProblem(
  text: string,
  golden: { tokens: string[]; offsets: [number, number][] },
  run: (text: string) => { span: [number, number]; text: string }[],
  modelType: string,
  unk: string | null,
): string | null {
  const toUtf16 = utf16Index(text);
  let k = 0;
  for (const piece of run(text)) {
    const tokens: string[] = [];
    while (k < golden.tokens.length) {
      const [s, e] = golden.offsets[k].map(toUtf16);
      if (s < piece.span[0] || e > piece.span[1]) break;
      // A token spanning a character that begins the next piece belongs there once this piece is spelled.
      if (tokens.length > 0 && joinSpellings(tokens, modelType, unk) === piece.text) break;
      tokens.push(golden.tokens[k]);
      k++;
    }
    const spelled = joinSpellings(tokens, modelType, unk);
    if (tokens.length === 0 || (spelled !== null && spelled !== piece.text)) {
      return `piece ${JSON.stringify(piece.text)} [${piece.span}] got tokens ${JSON.stringify(tokens)}`;
    }
  }
  return k === golden.tokens.length ? null : `tokens left over from ${JSON.stringify(golden.tokens[k])}`;
}

describe('added tokens, normalizer and pre-tokenizer split text where Rust tokenizers does', () => {
  for (const entry of manifest) {
    it(`${entry.name}: every golden token belongs to one piece and the pieces spell the tokens`, () => {
      const path = entry.npm_path ? join(repoRoot, 'node_modules', entry.npm_path) : join(fixtures, entry.name, 'tokenizer.json');
      const json = JSON.parse(readFileSync(path, 'utf8')) as Json;
      const modelJson = json.model as Json;
      const modelType = String(modelJson.type);
      const model = vocabOnlyModel(modelJson);
      const unk = typeof modelJson.unk_token === 'string' ? modelJson.unk_token : typeof modelJson.unk_id === 'number' ? (model.idToToken(modelJson.unk_id) ?? null) : null;
      const added = new AddedVocabulary(json.added_tokens as AddedTokenConfig[], model);
      const normalizer = normalizerFromConfig(json.normalizer);
      const preTokenizer = preTokenizerFromConfig(json.pre_tokenizer);
      const goldens = new Map(readJsonl<Golden>(join(fixtures, 'goldens', `${entry.name}.dev.jsonl`)).map((g) => [g.id, g]));
      const failures: string[] = [];
      const run = (text: string) => {
        const pre = added.extractAndNormalize(text, normalizer);
        preTokenizer?.preTokenize(pre);
        return pre.splits.map((sp) => ({ span: sp.normalized.originalOffsets([0, sp.normalized.length]), text: sp.normalized.normalized }));
      };
      for (const line of corpus) {
        for (const seq of sequences(line, goldens.get(line.id)!)) {
          const problem = splitProblem(seq.text, seq, run, modelType, unk);
          if (problem !== null) failures.push(`${line.id}: ${problem}`);
        }
      }
      const passed = corpus.length - failures.length;
      console.log(`${entry.name}: ${passed}/${corpus.length} texts split consistently${failures.length ? `\n  ${failures.slice(0, 5).join('\n  ')}` : ''}`);
      expect(failures).toEqual([]);
    });
  }
});
