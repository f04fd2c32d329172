/**
 * Extractive question answering: the best answers with their scores, the best one highlighted
 * in the context. The embedded model is weak (EM 3.7 / F1 9.3) and the view says so.
 */
import type { Answer } from 'webformers';
import { field, h, replaceChildren } from '../dom.js';
import { formatMs, formatScore } from '../format.js';
import { highlightText } from '../highlight.js';
import { ModelPanel } from '../model-panel.js';
import { scoreBar } from '../score-bar.js';
import { busy, taskLayout, type View } from './task-layout.js';

const QUESTION = 'What is the capital of France?';
const CONTEXT = 'Paris is the capital and most populous city of France.';

export function qaView(): View {
  const panel = new ModelPanel('qa', 'question-answering');
  const question = h('input', { id: 'qa-question', type: 'text', value: QUESTION, spellcheck: false });
  const context = h('textarea', { id: 'qa-context', rows: 6, spellcheck: false }, CONTEXT);
  const topK = h('input', { id: 'qa-top-k', type: 'number', min: 1, max: 10, value: 3 });
  const run = h('button', { type: 'button', class: 'primary', id: 'qa-run' }, 'Answer');
  const marked = h('p', { class: 'marked-text', id: 'qa-output', 'aria-live': 'polite' });
  const answers = h('ol', { class: 'answers' });

  run.addEventListener('click', () => void busy(run, async () => {
    const text = context.value;
    answers.replaceChildren();
    marked.replaceChildren();
    try {
      const qa = await panel.ensureLoaded();
      const started = performance.now();
      const result = await qa(question.value, text, { top_k: Math.max(1, Number(topK.value) || 1) });
      panel.stats.set('latency', 'Last call', formatMs(performance.now() - started));
      const list = (Array.isArray(result) ? result : [result]) as Answer[];
      replaceChildren(marked, highlightText(text, list.map((a, rank) => ({
        start: a.start,
        end: a.end,
        className: rank === 0 ? 'answer best' : 'answer',
        title: `answer ${rank + 1} · score ${formatScore(a.score)}`,
      }))));
      replaceChildren(answers, list.map((a) =>
        h('li', { 'data-answer': a.answer, 'data-score': String(a.score) },
          h('span', { class: 'answer-text' }, a.answer),
          ...scoreBar(a.score))));
    } catch (error) {
      panel.errors.show(error);
    }
  }));

  const weak = h('p', { class: 'note', id: 'qa-weak-note' },
    h('b', {}, 'About the embedded model: '),
    'qa-squad was trained from scratch for a quarter of an epoch on two CPU cores. On SQuAD it scores ',
    h('b', {}, 'EM 3.7 / F1 9.3'),
    ': it has learnt what an answer looks like, not to read the question. Pick a Hub model for real answers.');
  const work = h('section', { class: 'card' },
    weak,
    field('Question', question),
    field('Context', context),
    h('div', { class: 'field-row narrow' }, field('Answers to show (top-k)', topK)),
    h('div', { class: 'actions' }, run),
    marked,
    answers);
  return taskLayout('qa', 'Question answering', 'Finds the span of the context that answers the question.', panel.element, work);
}
