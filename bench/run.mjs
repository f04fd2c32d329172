// `npm run bench`: runs every benchmark, prints a table of ratios and writes bench/results/latest.{json,md}.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { benchTokenizers } from './tokenizers.mjs';

const fmt = (x, digits = 2) => x.toFixed(digits);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
const tokenizers = await benchTokenizers();

const lines = [
  `Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '### Tokenizers: MB/s on the shared corpus (median of 5, [min–max]); higher is better',
  '',
  '| tokenizer | webformers | transformers.js | @huggingface/tokenizers | webformers / transformers.js |',
  '|---|---|---|---|---|',
  ...tokenizers.map((r) => {
    const cell = (c) => `${fmt(c.mb_per_s)} [${fmt(c.spread[0])}–${fmt(c.spread[1])}]`;
    return `| ${r.tokenizer} | ${cell(r.webformers)} | ${cell(r['transformers.js'])} | ${cell(r['@huggingface/tokenizers'])} | ${fmt(r.ratio_vs_transformersjs)}× |`;
  }),
];
const markdown = lines.join('\n');
console.log(markdown);
const out = new URL('./results/', import.meta.url);
await mkdir(out, { recursive: true });
await writeFile(new URL('latest.json', out), JSON.stringify({ machine, date: new Date().toISOString(), tokenizers }, null, 2));
await writeFile(new URL('latest.md', out), `${markdown}\n`);
