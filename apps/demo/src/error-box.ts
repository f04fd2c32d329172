/** The in-page message for a failure: title, what happened, what to do, and the raw detail folded. */
import { h, replaceChildren } from './dom.js';
import { explainError } from './friendly-errors.js';

export class ErrorBox {
  readonly element = h('div', { class: 'error-box', role: 'alert', hidden: true });

  show(error: unknown): void {
    const friendly = explainError(error);
    this.element.dataset.errorKind = friendly.kind;
    replaceChildren(this.element,
      h('strong', { class: 'error-title' }, friendly.title),
      h('p', {}, friendly.message),
      h('p', { class: 'error-hint' }, friendly.hint),
      friendly.detail ? h('details', {}, h('summary', {}, 'Details'), h('code', {}, friendly.detail)) : null);
    this.element.hidden = false;
  }

  clear(): void {
    this.element.hidden = true;
    delete this.element.dataset.errorKind;
    this.element.replaceChildren();
  }
}
