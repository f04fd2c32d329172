/** Text classification: one text per line, every label with a score bar, best first. */
import type { LabelScore } from 'webformers';
import { field, h, replaceChildren } from '../dom.js';
import { formatMs } from '../format.js';
import { ModelPanel } from '../model-panel.js';
import { scoreBar } from '../score-bar.js';
import { busy, taskLayout, type View } from './task-layout.js';

const EXAMPLES = [
  'I love this movie, it is wonderful.',
  'This was a terrible waste of time.',
  'The acting was fine but the plot made no sense.',
  'A beautiful, moving and funny film.',
];

export function classifyView(): View {
  const panel = new ModelPanel('classify', 'sentiment-analysis');
  const input = h('textarea', { id: 'classify-input', rows: 6, spellcheck: false }, EXAMPLES.join('\n'));
  const results = h('ol', { class: 'class-results', 'aria-live': 'polite' });
  const run = h('button', { type: 'button', class: 'primary', id: 'classify-run' }, 'Classify');

  run.addEventListener('click', () => void busy(run, async () => {
    const texts = input.value.split('\n').map((t) => t.trim()).filter((t) => t !== '');
    if (texts.length === 0) return;
    results.replaceChildren();
    try {
      const classify = await panel.ensureLoaded();
      const started = performance.now();
      const scores = (await classify(texts, { top_k: null })) as LabelScore[][];
      const ms = performance.now() - started;
      panel.stats.set('latency', 'Last call', `${formatMs(ms)} for ${texts.length} text${texts.length > 1 ? 's' : ''}`);
      panel.stats.set('per-text', 'Per text', formatMs(ms / texts.length));
      replaceChildren(results, texts.map((text, i) => resultRow(text, scores[i])));
    } catch (error) {
      panel.errors.show(error);
    }
  }));

  const work = h('section', { class: 'card' },
    field('Texts, one per line', input, 'Each line is classified on its own; the batch runs as one model call.'),
    h('div', { class: 'actions' }, run),
    results);
  return taskLayout('classify', 'Classification', 'Sentiment of each line: every label with its probability.', panel.element, work);
}

function resultRow(text: string, labels: LabelScore[]): HTMLElement {
  return h('li', { class: 'class-result' },
    h('p', { class: 'class-text' }, text),
    h('ul', { class: 'label-bars' }, labels.map((l, rank) =>
      h('li', { 'data-label': l.label, 'data-score': String(l.score), class: rank === 0 ? 'top' : '' },
        h('span', { class: 'label-name' }, l.label),
        ...scoreBar(l.score)))));
}
