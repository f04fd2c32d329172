/**
 * Named entities, highlighted in the text with one colour per type and the score on hover.
 * The aggregation picker defaults to 'first': see the hint text for why.
 */
import type { EntityGroup, TokenEntity } from 'webformers';
import { field, h, replaceChildren, select } from '../dom.js';
import { formatMs, formatScore } from '../format.js';
import { highlightText } from '../highlight.js';
import { ModelPanel } from '../model-panel.js';
import { busy, taskLayout, type View } from './task-layout.js';

type Strategy = 'none' | 'simple' | 'first' | 'average' | 'max';
const STRATEGIES: readonly (readonly [Strategy, string])[] = [
  ['first', 'first · word label from its first piece'],
  ['average', 'average · mean of the pieces'],
  ['max', 'max · the most confident piece'],
  ['simple', 'simple · group pieces as predicted'],
  ['none', 'none · one entry per token'],
];
const KNOWN_TYPES = ['PER', 'ORG', 'LOC', 'MISC'];

const SAMPLE = 'John Smith works at Google in London. Angela Merkel visited Paris with Emmanuel Macron.';

export function nerView(): View {
  const panel = new ModelPanel('ner', 'ner');
  const input = h('textarea', { id: 'ner-input', rows: 4, spellcheck: false }, SAMPLE);
  const strategy = select('ner-aggregation', STRATEGIES, 'first');
  const run = h('button', { type: 'button', class: 'primary', id: 'ner-run' }, 'Find entities');
  const marked = h('p', { class: 'marked-text', id: 'ner-output', 'aria-live': 'polite' });
  const legend = h('ul', { class: 'legend' }, KNOWN_TYPES.map((t) => h('li', { class: `ent ent-${t}` }, t)));
  const table = h('table', { class: 'entity-table', hidden: true });

  run.addEventListener('click', () => void busy(run, async () => {
    const text = input.value;
    marked.replaceChildren();
    table.hidden = true;
    try {
      const ner = await panel.ensureLoaded();
      const started = performance.now();
      const entities = (await ner(text, { aggregation_strategy: strategy.value as Strategy })) as (TokenEntity | EntityGroup)[];
      panel.stats.set('latency', 'Last call', formatMs(performance.now() - started));
      showEntities(text, entities, marked, table);
    } catch (error) {
      panel.errors.show(error);
    }
  }));

  const hint = h('span', {},
    'The embedded model was trained with a label on the first piece of each word only, so its guesses for the other pieces (',
    h('code', {}, '##n'), ' in “yann”) are noise. ', h('b', {}, 'first'),
    ' labels each whole word by its first piece, exactly as it was trained; ', h('b', {}, 'simple'), ' can split one name into several entities.');
  const work = h('section', { class: 'card' },
    field('Text', input),
    field('Aggregation', strategy, hint),
    h('div', { class: 'actions' }, run),
    legend,
    marked,
    table);
  return taskLayout('ner', 'Named entities', 'People, organisations, places and other names, found in your text. Hover an entity for its score.', panel.element, work);
}

function typeOf(entity: TokenEntity | EntityGroup): string {
  const label = 'entity_group' in entity ? entity.entity_group : entity.entity;
  return label.replace(/^[BIES]-/, '');
}

function cssClassOf(type: string): string {
  return `ent ent-${KNOWN_TYPES.includes(type) ? type : 'OTHER'}`;
}

function showEntities(text: string, entities: (TokenEntity | EntityGroup)[], marked: HTMLElement, table: HTMLTableElement): void {
  const spans = entities.map((e) => {
    const type = typeOf(e);
    return {
      start: e.start,
      end: e.end,
      className: cssClassOf(type),
      title: `${type} · score ${formatScore(e.score)}`,
      data: { type, score: String(e.score), word: e.word },
    };
  });
  replaceChildren(marked, highlightText(text, spans));
  replaceChildren(table,
    h('thead', {}, h('tr', {}, h('th', {}, 'Entity'), h('th', {}, 'Type'), h('th', { class: 'num' }, 'Score'), h('th', { class: 'num' }, 'Span'))),
    h('tbody', {}, entities.length === 0
      ? h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No entities found.'))
      : entities.map((e) => h('tr', { 'data-entity-row': '' },
        h('td', {}, text.slice(e.start, e.end)),
        h('td', {}, h('span', { class: cssClassOf(typeOf(e)) }, typeOf(e))),
        h('td', { class: 'num' }, formatScore(e.score)),
        h('td', { class: 'num' }, `${e.start}–${e.end}`)))));
  table.hidden = false;
}
