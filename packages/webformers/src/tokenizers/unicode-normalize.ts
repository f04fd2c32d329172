/**
 * Unicode normalization that reports, per output character, how it relates to the input
 * (a `CharEdits` list), replaying the crate Rust `tokenizers` uses for this
 * (`unicode-normalization-alignments`): decomposition marks every character after the first of a
 * decomposition as inserted (+1), canonical reordering moves those marks without touching their
 * changes, and each composition folds the second character into the first (change `a + b - 1`).
 * The alignments Rust reports follow from exactly that sequence, so we reproduce it step by step;
 * JS `normalize` only supplies the character data (decompositions, primary composites).
 */
import { CharEdits } from './char-edits.js';
import { combiningClass } from './unicode-props.js';

export type NormalizationForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/** Decomposition stream: code points, changes and combining classes, canonically ordered. */
interface Decomposed {
  cps: number[];
  changes: number[];
  classes: number[];
}

function decompose(text: string, compatible: boolean): Decomposed {
  const form = compatible ? 'NFKD' : 'NFD';
  const cps: number[] = [];
  const changes: number[] = [];
  const classes: number[] = [];
  // Start of the run of non-starters not yet put in canonical order.
  let pending = 0;
  const sortPending = () => {
    if (cps.length - pending > 1) stableSortByClass(cps, changes, classes, pending, cps.length);
    pending = cps.length;
  };
  const pushBack = (cp: number, change: number) => {
    const ccc = combiningClass(cp);
    if (ccc === 0) sortPending();
    cps.push(cp);
    changes.push(change);
    classes.push(ccc);
  };
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp < 0xa0) pushBack(cp, 0);
    else {
      const d = text.slice(i, i + width).normalize(form);
      let first = true;
      for (let j = 0; j < d.length; ) {
        const dcp = d.codePointAt(j)!;
        pushBack(dcp, first ? 0 : 1);
        first = false;
        j += dcp > 0xffff ? 2 : 1;
      }
    }
    i += width;
  }
  sortPending();
  return { cps, changes, classes };
}

function stableSortByClass(cps: number[], changes: number[], classes: number[], from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const cp = cps[i];
    const change = changes[i];
    const ccc = classes[i];
    let j = i - 1;
    while (j >= from && classes[j] > ccc) {
      cps[j + 1] = cps[j];
      changes[j + 1] = changes[j];
      classes[j + 1] = classes[j];
      j--;
    }
    cps[j + 1] = cp;
    changes[j + 1] = change;
    classes[j + 1] = ccc;
  }
}

const compositionCache = new Map<number, number>();

/** The primary composite of `a` followed by `b`, or -1 (the crate's `compose`). */
function compose(a: number, b: number): number {
  const key = a * 0x110000 + b;
  const cached = compositionCache.get(key);
  if (cached !== undefined) return cached;
  const pair = String.fromCodePoint(a, b);
  const composed = pair.normalize('NFC');
  let result = -1;
  const r = composed.codePointAt(0)!;
  // NFC of the pair may also reorder marks or reach a composite through another path; only a
  // single character whose decomposition is exactly `a` then `b` is their primary composite.
  if (composed.length === (r > 0xffff ? 2 : 1) && composed.normalize('NFD') === pair.normalize('NFD')) result = r;
  compositionCache.set(key, result);
  return result;
}

/** The crate's `Recompositions` state machine over a decomposition stream. */
function recompose(d: Decomposed, out: CharEdits): void {
  let composee = -1;
  let composeeChange = 0;
  let lastClass = -1;
  const blockedCps: number[] = [];
  const blockedChanges: number[] = [];
  const flushBlocked = () => {
    for (let k = 0; k < blockedCps.length; k++) out.push(blockedCps[k], blockedChanges[k]);
    blockedCps.length = 0;
    blockedChanges.length = 0;
  };
  for (let i = 0; i < d.cps.length; i++) {
    const ch = d.cps[i];
    const change = d.changes[i];
    const ccc = d.classes[i];
    if (composee < 0) {
      if (ccc !== 0) {
        out.push(ch, change);
        continue;
      }
      composee = ch;
      composeeChange = change;
      continue;
    }
    if (lastClass < 0) {
      const r = compose(composee, ch);
      if (r >= 0) {
        composee = r;
        composeeChange += change - 1;
        continue;
      }
      if (ccc === 0) {
        out.push(composee, composeeChange);
        composee = ch;
        composeeChange = change;
        continue;
      }
      blockedCps.push(ch);
      blockedChanges.push(change);
      lastClass = ccc;
      continue;
    }
    if (lastClass >= ccc) {
      if (ccc === 0) {
        out.push(composee, composeeChange);
        flushBlocked();
        composee = ch;
        composeeChange = change;
        lastClass = -1;
        continue;
      }
      blockedCps.push(ch);
      blockedChanges.push(change);
      lastClass = ccc;
      continue;
    }
    const r = compose(composee, ch);
    if (r >= 0) {
      composee = r;
      composeeChange += change - 1;
      continue;
    }
    blockedCps.push(ch);
    blockedChanges.push(change);
    lastClass = ccc;
  }
  // At the end of the input the crate emits the composee before the marks blocked behind it.
  if (composee >= 0) out.push(composee, composeeChange);
  flushBlocked();
}

/** The edits that normalize `text` to `form`, or null when `text` is already in that form. */
export function normalizationEdits(text: string, form: NormalizationForm): CharEdits | null {
  if (text.normalize(form) === text) return null;
  const compatible = form === 'NFKC' || form === 'NFKD';
  const d = decompose(text, compatible);
  const out = new CharEdits();
  if (form === 'NFD' || form === 'NFKD') {
    for (let i = 0; i < d.cps.length; i++) out.push(d.cps[i], d.changes[i]);
  } else {
    recompose(d, out);
  }
  return out;
}
