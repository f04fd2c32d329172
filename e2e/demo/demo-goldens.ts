/**
 * Reference outputs of the embedded demo models, read from their README (copied from
 * shared/demo-models into apps/demo/public/models/): PyTorch and transformers.js runs made when
 * the models were trained, never this project's output.
 */
import { readFileSync } from 'node:fs';

const README = readFileSync(new URL('../../apps/demo/public/models/README.md', import.meta.url), 'utf8');

function section(name: string): string {
  const start = README.indexOf(`## ${name}`);
  if (start < 0) throw new Error(`README has no section ${name}`);
  const end = README.indexOf('\n## ', start + 3);
  return README.slice(start, end < 0 ? undefined : end);
}

export interface SentimentGolden {
  text: string;
  label: string;
  /** P(POSITIVE) from the PyTorch softmax line (4 decimals). */
  positive: number;
}

/** The four sentiment texts, their transformers.js labels, and PyTorch's P(POSITIVE). */
export function sentimentGoldens(): SentimentGolden[] {
  const text = section('sentiment-sst2');
  const rows = [...text.matchAll(/^- "(.+)" -> (POSITIVE|NEGATIVE) [\d.]+$/gm)].map((m) => ({ text: m[1], label: m[2] }));
  const softmax = /PyTorch softmax on the same texts: ([\d.; ]+) \(P\(POSITIVE\)\)/.exec(text);
  if (!softmax || rows.length === 0) throw new Error('sentiment goldens not found in README');
  const positives = softmax[1].split(';').map((s) => Number(s.trim()));
  if (positives.length !== rows.length) throw new Error('sentiment goldens: texts and scores differ in number');
  return rows.map((r, i) => ({ ...r, positive: positives[i] }));
}

export interface EntityGolden {
  group: string;
  word: string;
  /** Two decimals in the README. */
  score: number;
}

/** transformers.js `aggregation_strategy: 'simple'` outputs of the NER model, per sentence. */
export function nerSimpleGoldens(): Map<string, EntityGolden[]> {
  const text = section('ner-conll03');
  const block = text.slice(text.indexOf("with `aggregation_strategy: 'simple'`"), text.indexOf('Use `aggregation_strategy'));
  const out = new Map<string, EntityGolden[]>();
  for (const m of block.matchAll(/^- "(.+)" -> (.+)$/gm)) {
    const entities = [...m[2].matchAll(/(PER|ORG|LOC|MISC) "([^"]+)" ([\d.]+)/g)].map((e) => ({ group: e[1], word: e[2], score: Number(e[3]) }));
    out.set(m[1], entities);
  }
  return out;
}

export interface GenerationGolden {
  prompt: string;
  options: Record<string, unknown>;
  text: string;
}

/** transformers.js text-generation outputs of stories-lm (greedy ones are deterministic). */
export function generationGoldens(): GenerationGolden[] {
  const text = section('stories-lm');
  return [...text.matchAll(/^- "([^"]+)" (\{[^}]+\}) -> "(.*)"$/gm)].map((m) => ({
    prompt: m[1],
    options: JSON.parse(m[2]) as Record<string, unknown>,
    text: JSON.parse(`"${m[3]}"`) as string,
  }));
}

export interface AnswerGolden {
  question: string;
  context: string;
  answer: string;
  score: number;
}

/** transformers.js question-answering outputs of qa-squad (its answers are lower-cased decoded tokens). */
export function qaGoldens(): AnswerGolden[] {
  const text = section('qa-squad');
  return [...text.matchAll(/^- Q: (.+?) C: (.+?) -> "(.+)" \(([\d.]+)\)$/gm)].map((m) => ({ question: m[1], context: m[2], answer: m[3], score: Number(m[4]) }));
}
