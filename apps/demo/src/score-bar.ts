/** A probability drawn as a bar plus its percentage (the exact score on hover). */
import { h } from './dom.js';
import { formatPercent, formatScore } from './format.js';

export function scoreBar(score: number): HTMLElement[] {
  return [
    h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: 'bar-fill', style: `width:${(score * 100).toFixed(2)}%` })),
    h('span', { class: 'label-score', title: formatScore(score) }, formatPercent(score)),
  ];
}
