// Turns measurement rows into the ratio table: median [min–max] per library and webformers /
// transformers.js, with whether that ratio should be below 1 (times) or above 1 (rates).
import { median, spread } from './stats.mjs';

const fmt = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Median and spread of each library's samples, and the ratio of medians (null without both). */
export function summarize(row) {
  const stats = {};
  for (const [library, samples] of Object.entries(row.samples)) {
    stats[library] = samples.length ? { median: median(samples), spread: spread(samples), n: samples.length } : null;
  }
  const [ours, peer] = [stats.webformers, stats.transformersjs];
  const ratio = ours && peer && peer.median > 0 && ours.median >= 0 ? ours.median / peer.median : null;
  return { group: row.group, name: row.name, unit: row.unit, better: row.better, stats, ratio };
}

/** Tokenizer rows (bench/tokenizers.mjs) in the same shape; their repetitions are summarised already. */
export function tokenizerSummaries(rows, repetitions) {
  return rows.map((r) => {
    const cell = (c) => ({ median: c.mb_per_s, spread: c.spread, n: repetitions });
    return {
      group: 'tokenizer',
      name: `${r.tokenizer} (Node, MB per CPU second; @huggingface/tokenizers ${fmt(r['@huggingface/tokenizers'].mb_per_s)} MB/s)`,
      unit: 'MB/s',
      better: 'higher',
      stats: { webformers: cell(r.webformers), transformersjs: cell(r['transformers.js']) },
      ratio: r.ratio_vs_transformersjs,
    };
  });
}

export function markdownTable(summaries) {
  // undefined: the library was not measured (it has no such feature); null: its run failed.
  const cell = (s) => (s === undefined ? '—' : s ? `${fmt(s.median)} [${fmt(s.spread[0])}–${fmt(s.spread[1])}]` : 'failed');
  return [
    '| group | measurement | unit | webformers median [min–max] | transformers.js median [min–max] | webformers / transformers.js |',
    '|---|---|---|---|---|---|',
    ...summaries.map((s) => {
      const ratio = s.ratio === null ? '—' : `${s.ratio.toFixed(2)}× (${s.better} is better)`;
      return `| ${s.group} | ${s.name} | ${s.unit} | ${cell(s.stats.webformers)} | ${cell(s.stats.transformersjs)} | ${ratio} |`;
    }),
  ].join('\n');
}
