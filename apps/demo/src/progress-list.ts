/** One bar per model file while it loads: bytes so far, total, percent; a tick when done. */
import type { ProgressInfo } from 'webformers';
import { h } from './dom.js';
import { formatBytes } from './format.js';

interface FileRow {
  row: HTMLElement;
  bar: HTMLElement;
  figures: HTMLElement;
}

export class ProgressList {
  readonly element = h('ul', { class: 'progress-list', 'aria-label': 'Files' });
  #rows = new Map<string, FileRow>();

  reset(): void {
    this.#rows.clear();
    this.element.replaceChildren();
  }

  update(info: ProgressInfo): void {
    if (info.status === 'ready' || info.status === 'choice') return;
    const row = this.#rowFor(info.file);
    if (info.status === 'progress') {
      const percent = info.total > 0 ? Math.min(100, (info.loaded / info.total) * 100) : 0;
      row.bar.style.width = `${percent}%`;
      row.row.querySelector('.bar')?.setAttribute('aria-valuenow', percent.toFixed(0));
      row.figures.textContent = `${formatBytes(info.loaded)} / ${formatBytes(info.total)} · ${percent.toFixed(0)}%`;
    } else if (info.status === 'done') {
      row.row.classList.add('done');
      row.bar.style.width = '100%';
      if (row.figures.textContent === '') row.figures.textContent = 'done';
    }
  }

  /** After a failed load: files that never finished say so instead of showing an empty bar. */
  markUnfinished(): void {
    for (const { row, figures } of this.#rows.values()) {
      if (row.classList.contains('done')) continue;
      row.classList.add('failed');
      figures.textContent = 'not loaded';
    }
  }

  #rowFor(file: string): FileRow {
    const found = this.#rows.get(file);
    if (found) return found;
    const bar = h('span', { class: 'bar-fill' });
    const figures = h('span', { class: 'figures' });
    const row = h('li', { 'data-file': file },
      h('span', { class: 'file-name', title: file }, file),
      figures,
      h('span', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': file }, bar));
    const created = { row, bar, figures };
    this.#rows.set(file, created);
    this.element.append(row);
    return created;
  }
}
