/**
 * Token classification post-processing, step for step as Python transformers 4.47's
 * TokenClassificationPipeline on its fast-tokenizer path (gather_pre_entities, aggregate,
 * aggregate_words, group_entities, aggregate_overlapping_entities), so the entity groups, words
 * and spans equal Python's. Offsets are UTF-16 here; where Python compares lengths of strings
 * (code points) we count code points too.
 */
import { argmax, maxOf } from '../utils/math.js';

export type AggregationStrategy = 'none' | 'simple' | 'first' | 'average' | 'max';

/** One window of tokenizer output and the per-token class probabilities for it. */
export interface TokenWindow {
  inputIds: number[];
  offsets: [number, number][];
  specialTokensMask: number[];
  /** [tokens][labels] probabilities. */
  scores: readonly (readonly number[])[];
}

export interface WordTools {
  labels: readonly string[];
  convertIdsToTokens(ids: number[]): string[];
  convertTokensToString(tokens: string[]): string;
  unkTokenId: number | null;
  /** WordPiece's '##' (or a BPE's suffix marker): tells word pieces apart exactly; null = whitespace heuristic. */
  continuingSubwordPrefix: string | null;
}

export interface TokenEntity {
  entity: string;
  score: number;
  index: number;
  word: string;
  start: number;
  end: number;
}

export interface EntityGroup {
  entity_group: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

interface PreEntity {
  word: string;
  scores: readonly number[];
  start: number;
  end: number;
  index: number;
  isSubword: boolean;
}

interface WordEntity {
  entity: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

const codePoints = (s: string): number => [...s].length;

function gatherPreEntities(sentence: string, window: TokenWindow, tools: WordTools): PreEntity[] {
  const out: PreEntity[] = [];
  const tokens = tools.convertIdsToTokens(window.inputIds);
  window.scores.forEach((scores, index) => {
    if (window.specialTokensMask[index]) return;
    const [start, end] = window.offsets[index];
    const wordRef = sentence.slice(start, end);
    let word = tokens[index];
    let isSubword = tools.continuingSubwordPrefix
      ? codePoints(word) !== codePoints(wordRef)
      : start > 0 && !sentence.slice(Math.max(0, start - 1), start + 1).includes(' ');
    if (window.inputIds[index] === tools.unkTokenId) {
      word = wordRef;
      isSubword = false;
    }
    out.push({ word, scores, start, end, index, isSubword });
  });
  return out;
}

function aggregateWord(group: PreEntity[], strategy: 'first' | 'average' | 'max', tools: WordTools): WordEntity {
  const word = tools.convertTokensToString(group.map((e) => e.word));
  let scores: ArrayLike<number>;
  if (strategy === 'first') {
    scores = group[0].scores;
  } else if (strategy === 'max') {
    // Python's max() keeps the first entity among equal maxima.
    scores = group.reduce((best, e) => (maxOf(e.scores) > maxOf(best.scores) ? e : best)).scores;
  } else {
    const mean = new Float64Array(tools.labels.length);
    for (const e of group) e.scores.forEach((v, i) => { mean[i] += v / group.length; });
    scores = mean;
  }
  const idx = argmax(scores);
  return { entity: tools.labels[idx], score: scores[idx], word, start: group[0].start, end: group[group.length - 1].end };
}

function aggregateWords(pre: PreEntity[], strategy: 'first' | 'average' | 'max', tools: WordTools): WordEntity[] {
  const words: WordEntity[] = [];
  let group: PreEntity[] = [];
  for (const entity of pre) {
    if (group.length > 0 && !entity.isSubword) {
      words.push(aggregateWord(group, strategy, tools));
      group = [];
    }
    group.push(entity);
  }
  if (group.length > 0) words.push(aggregateWord(group, strategy, tools));
  return words;
}

/** "B-PER" → ['B', 'PER']; a label without a B-/I- prefix continues as 'I' (Python's rule). */
function splitTag(label: string): [string, string] {
  if (label.startsWith('B-')) return ['B', label.slice(2)];
  if (label.startsWith('I-')) return ['I', label.slice(2)];
  return ['I', label];
}

function groupSubEntities(entities: WordEntity[], tools: WordTools): EntityGroup {
  const dash = entities[0].entity.indexOf('-');
  return {
    entity_group: dash === -1 ? entities[0].entity : entities[0].entity.slice(dash + 1),
    score: entities.reduce((sum, e) => sum + e.score, 0) / entities.length,
    word: tools.convertTokensToString(entities.map((e) => e.word)),
    start: entities[0].start,
    end: entities[entities.length - 1].end,
  };
}

function groupEntities(entities: WordEntity[], tools: WordTools): EntityGroup[] {
  const groups: EntityGroup[] = [];
  let pending: WordEntity[] = [];
  for (const entity of entities) {
    if (pending.length > 0) {
      const [bi, tag] = splitTag(entity.entity);
      const [, lastTag] = splitTag(pending[pending.length - 1].entity);
      if (!(tag === lastTag && bi !== 'B')) {
        groups.push(groupSubEntities(pending, tools));
        pending = [];
      }
    }
    pending.push(entity);
  }
  if (pending.length > 0) groups.push(groupSubEntities(pending, tools));
  return groups;
}

/** Entities of one window, before `ignore_labels` filtering. */
export function entitiesOfWindow(sentence: string, window: TokenWindow, strategy: AggregationStrategy, tools: WordTools): (TokenEntity | EntityGroup)[] {
  const pre = gatherPreEntities(sentence, window, tools);
  if (strategy === 'none' || strategy === 'simple') {
    const tokens: TokenEntity[] = pre.map((p) => {
      const idx = argmax(p.scores);
      return { entity: tools.labels[idx], score: p.scores[idx], index: p.index, word: p.word, start: p.start, end: p.end };
    });
    return strategy === 'none' ? tokens : groupEntities(tokens, tools);
  }
  return groupEntities(aggregateWords(pre, strategy, tools), tools);
}

/**
 * Windows overlap (stride): keep, among entities whose start falls inside the previous one,
 * the longest, then the higher score — Python's aggregate_overlapping_entities.
 */
export function mergeOverlappingEntities<E extends { start: number; end: number; score: number }>(sentence: string, entities: E[]): E[] {
  if (entities.length === 0) return entities;
  const length = (e: E) => codePoints(sentence.slice(e.start, e.end));
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  const out: E[] = [];
  let previous = sorted[0];
  for (const entity of sorted) {
    if (previous.start <= entity.start && entity.start < previous.end) {
      const current = length(entity);
      const before = length(previous);
      if (current > before || (current === before && entity.score > previous.score)) previous = entity;
    } else {
      out.push(previous);
      previous = entity;
    }
  }
  out.push(previous);
  return out;
}
