/**
 * question-answering, as Python's QuestionAnsweringPipeline with a fast tokenizer: the context
 * is cut into windows of `max_seq_len` tokens overlapping by `doc_stride` (only the context is
 * truncated), spans are scored per window (qa-spans.ts), widened to whole words unless
 * `align_to_words: false`, and the best `top_k` over all windows returned. `start`/`end` are
 * UTF-16 offsets into the context, so `context.slice(start, end) === answer`.
 */
import { PipelineInputError } from './errors.js';
import type { Tensor } from '../utils/tensor.js';
import { Pipeline, rowOf, rowsOf, rowsPerInput } from './pipeline-base.js';
import { selectSpans } from './qa-spans.js';

export interface QuestionAnsweringOptions {
  /** Default 1; with one answer the result is an object, otherwise a list (Python's shape). */
  top_k?: number;
  /** Longest answer in tokens. Default 15. */
  max_answer_len?: number;
  /** Window length in tokens (question + context + specials). Default min(model_max_length, 384). */
  max_seq_len?: number;
  /** Overlap between windows in tokens. Default min(max_seq_len / 2, 128). */
  doc_stride?: number;
  /** Also offer the empty answer, scored by the [CLS] position. Default false. */
  handle_impossible_answer?: boolean;
  /** Widen answers to whole words. Default true. */
  align_to_words?: boolean;
}

export interface Answer {
  score: number;
  start: number;
  end: number;
  answer: string;
}

type Offsets = [number, number];

interface Window {
  offsets: Offsets[];
  wordIds: (number | null)[];
  sequenceIds: (number | null)[];
}

/** One question gives an answer (a list when top_k > 1); a batch gives one entry per question. */
export interface QuestionAnsweringPipeline {
  (question: string, context: string, options?: QuestionAnsweringOptions): Promise<Answer | Answer[]>;
  (question: string | string[], context: string[], options?: QuestionAnsweringOptions): Promise<(Answer | Answer[])[]>;
}

/** The call's options with their defaults, checked. */
interface SpanSettings {
  maxSeqLen: number;
  docStride: number;
  topK: number;
  maxAnswerLen: number;
  handleImpossible: boolean;
  alignToWords: boolean;
}

/** What the model and tokenizer gave for the whole batch, one entry per window row. */
interface BatchOutputs {
  ids: number[][];
  attention: number[][];
  windows: Window[];
  startLogits: Tensor;
  endLogits: Tensor;
}

export class QuestionAnsweringPipeline extends Pipeline<[string | string[], string | string[], QuestionAnsweringOptions?], Answer | Answer[] | (Answer | Answer[])[]> {
  protected async _call(question: string | string[], context: string | string[], options: QuestionAnsweringOptions = {}) {
    const pairs = this.pairsOf(question, context);
    const settings = this.settingsOf(options);
    // Python puts the question first unless the tokenizer pads on the left.
    const questionFirst = this.tokenizer.settings.paddingSide === 'right';
    const questions = pairs.items.map(([q]) => q);
    const contexts = pairs.items.map(([, c]) => c);
    const encoded = this.tokenizer(questionFirst ? questions : contexts, {
      text_pair: questionFirst ? contexts : questions,
      truncation: questionFirst ? 'only_second' : 'only_first',
      max_length: settings.maxSeqLen,
      stride: settings.docStride,
      // Python runs every window alone, unpadded; right padding keeps each token at that position.
      padding: true,
      padding_side: 'right',
      return_token_type_ids: true,
      return_overflowing_tokens: true,
      return_offsets_mapping: true,
      return_special_tokens_mask: true,
      return_word_ids: true,
      return_sequence_ids: true,
    });
    // One model run for the windows of every question: per-run overhead dominates small models.
    const { start_logits, end_logits } = await this.runModel(encoded, true);
    const sequenceIds = rowsOf<number | null>(encoded.sequence_ids, 'sequence_ids');
    const wordIds = rowsOf<number | null>(encoded.word_ids, 'word_ids');
    const offsets = encoded.offset_mapping as Offsets[][];
    const outputs: BatchOutputs = {
      ids: rowsOf<number>(encoded.input_ids, 'input_ids'),
      attention: rowsOf<number>(encoded.attention_mask, 'attention_mask'),
      windows: sequenceIds.map((sequence, w) => ({ offsets: offsets[w], wordIds: wordIds[w], sequenceIds: sequence })),
      startLogits: start_logits,
      endLogits: end_logits,
    };
    const results = rowsPerInput(encoded, pairs.items.length).map((rows, i) => this.bestAnswers(contexts[i], rows, outputs, settings, questionFirst));
    return pairs.single ? results[0] : results;
  }

  private pairsOf(question: string | string[], context: string | string[] | undefined): { items: [string, string][]; single: boolean } {
    if (context === undefined || context === null || (Array.isArray(context) && context.length === 0)) {
      throw new PipelineInputError(this.task, 'a question needs a context to find the answer in.', 'Call qa(question, context).');
    }
    const questions = this.batchOf(question);
    const contexts = this.batchOf(context);
    const count = Math.max(questions.items.length, contexts.items.length);
    if (questions.items.length !== contexts.items.length && questions.items.length !== 1) {
      throw new PipelineInputError(this.task, `got ${questions.items.length} questions for ${contexts.items.length} contexts.`, 'Pass one question per context, or one question for all.');
    }
    const items = Array.from({ length: count }, (_, i): [string, string] => [questions.items[questions.items.length === 1 ? 0 : i], contexts.items[i]]);
    for (const [q, c] of items) {
      if (typeof c !== 'string' || c.length === 0) throw new PipelineInputError(this.task, 'the context is empty.', 'Pass the text that holds the answer.');
      if (typeof q !== 'string' || q.length === 0) throw new PipelineInputError(this.task, 'the question is empty.', 'Pass a question.');
    }
    return { items, single: questions.single && contexts.single };
  }

  private settingsOf(options: QuestionAnsweringOptions): SpanSettings {
    const maxSeqLen = options.max_seq_len ?? Math.min(this.maxInputLength, 384);
    const docStride = options.doc_stride ?? Math.min(Math.floor(maxSeqLen / 2), 128);
    const { top_k: topK = 1, max_answer_len: maxAnswerLen = 15, handle_impossible_answer = false, align_to_words = true } = options;
    if (docStride > maxSeqLen) throw new PipelineInputError(this.task, `doc_stride (${docStride}) is larger than max_seq_len (${maxSeqLen}).`, 'Pass a doc_stride below max_seq_len.');
    if (!(topK >= 1) || !(maxAnswerLen >= 1)) throw new PipelineInputError(this.task, 'top_k and max_answer_len must be at least 1.', 'Pass positive numbers.');
    return { maxSeqLen, docStride, topK, maxAnswerLen, handleImpossible: handle_impossible_answer, alignToWords: align_to_words };
  }

  /** The best `top_k` answers over the window rows of one question. */
  private bestAnswers(context: string, rows: readonly number[], outputs: BatchOutputs, settings: SpanSettings, questionFirst: boolean): Answer | Answer[] {
    const contextSequence = questionFirst ? 1 : 0;
    const answers: Answer[] = [];
    let minNullScore = 1e6;
    for (const w of rows) {
      const window = outputs.windows[w];
      const allowed = outputs.ids[w].map((id, t) => outputs.attention[w][t] === 1 && (id === this.tokenizer.cls_token_id || !questionFirst || window.sequenceIds[t] === 1));
      const { spans, nullScore } = selectSpans(rowOf(outputs.startLogits, w), rowOf(outputs.endLogits, w), allowed, settings.topK, settings.maxAnswerLen);
      if (settings.handleImpossible) minNullScore = Math.min(minNullScore, nullScore);
      for (const span of spans) {
        const [start, end] = charSpan(window, span.start, span.end, contextSequence, settings.alignToWords);
        answers.push({ score: span.score, start, end, answer: context.slice(start, end) });
      }
    }
    if (settings.handleImpossible) answers.push({ score: minNullScore, start: 0, end: 0, answer: '' });
    const best = answers.sort((a, b) => b.score - a.score).slice(0, settings.topK);
    return best.length === 1 ? best[0] : best;
  }
}

/**
 * Token span → character span. Aligned to words: from the first character of the start
 * token's word to the last of the end token's word; a token without a word falls back to the
 * tokens' own offsets (Python catches the failed lookup the same way).
 */
function charSpan(window: Window, s: number, e: number, sequence: number, alignToWords: boolean): Offsets {
  if (alignToWords) {
    const first = wordChars(window, window.wordIds[s], sequence);
    const last = wordChars(window, window.wordIds[e], sequence);
    if (first && last) return [first[0], last[1]];
  }
  return [window.offsets[s][0], window.offsets[e][1]];
}

function wordChars(window: Window, word: number | null, sequence: number): Offsets | null {
  if (word === null) return null;
  let first = -1;
  let last = -1;
  window.wordIds.forEach((w, t) => {
    if (w !== word || window.sequenceIds[t] !== sequence) return;
    if (first === -1) first = t;
    last = t;
  });
  return first === -1 ? null : [window.offsets[first][0], window.offsets[last][1]];
}
