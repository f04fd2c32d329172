/** Labelled figures (load time, latency, tokens/s, …) in a definition list that keeps its order. */
import { h } from './dom.js';

export class StatList {
  readonly element = h('dl', { class: 'stats' });
  #values = new Map<string, HTMLElement>();

  set(key: string, label: string, value: string): void {
    let cell = this.#values.get(key);
    if (!cell) {
      cell = h('dd', { 'data-stat': key });
      this.element.append(h('div', {}, h('dt', {}, label), cell));
      this.#values.set(key, cell);
    }
    cell.textContent = value;
  }

  clear(): void {
    this.#values.clear();
    this.element.replaceChildren();
  }
}
