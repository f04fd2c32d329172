/** The frame every view shares: heading and intro, the model card beside the task's own work area. */
import { h } from '../dom.js';

export interface View {
  id: string;
  title: string;
  element: HTMLElement;
}

export function taskLayout(id: string, title: string, intro: string | Node, model: HTMLElement, work: HTMLElement): View {
  const element = h('section', { class: 'view', id: `view-${id}`, 'aria-labelledby': `title-${id}` },
    h('header', { class: 'view-header' }, h('h1', { id: `title-${id}` }, title), h('p', { class: 'lede' }, intro)),
    h('div', { class: 'view-grid' }, h('div', { class: 'work' }, work), h('aside', { class: 'side' }, model)));
  return { id, title, element };
}

/** Runs `work` with its button disabled and showing a spinner, so a second click cannot start a second call. */
export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.classList.add('busy');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.classList.remove('busy');
  }
}
