/**
 * Marks spans of a text in place: NER entities and QA answers both come with UTF-16
 * `start`/`end` offsets into the input, so `text.slice(start, end)` is exactly the span.
 * Overlapping spans keep the first one given (callers pass the most important first).
 */
import { h } from './dom.js';

export interface Span {
  start: number;
  end: number;
  className: string;
  title: string;
  data?: Record<string, string>;
}

export function highlightText(text: string, spans: readonly Span[]): DocumentFragment {
  const kept: Span[] = [];
  for (const span of spans) {
    if (span.end <= span.start || kept.some((k) => span.start < k.end && k.start < span.end)) continue;
    kept.push(span);
  }
  kept.sort((a, b) => a.start - b.start);
  const out = document.createDocumentFragment();
  let at = 0;
  for (const span of kept) {
    if (span.start > at) out.append(text.slice(at, span.start));
    const attributes: Record<string, string> = { class: span.className, title: span.title, tabindex: '0' };
    for (const [key, value] of Object.entries(span.data ?? {})) attributes[`data-${key}`] = value;
    out.append(h('mark', attributes, text.slice(span.start, span.end)));
    at = span.end;
  }
  if (at < text.length) out.append(text.slice(at));
  return out;
}
