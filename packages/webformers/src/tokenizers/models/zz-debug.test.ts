import { it } from 'vitest';
import { loadTokenizerGoldens, manifest } from '../../../test/support/tokenizer-goldens-node.js';
import { BpeModel } from './bpe.js';
it('dbg', async () => {
  const e = (await manifest()).find((x) => x.name === process.env.TOK)!;
  const g = await loadTokenizerGoldens(e);
  const added = new Set((g.tokenizerJson.added_tokens as any[]).map((t) => t.id));
  const model = BpeModel.fromConfig(g.tokenizerJson.model as any);
  let shown = 0;
  for (const r of g.records) {
    if (r.nosp.ids.some((id) => added.has(id))) continue;
    const toks = [r.text, ...(r.textPair !== undefined ? [r.textPair] : [])].flatMap((t) => model.tokenize(t.replaceAll(' ', '\u2581')));
    const a = toks.map((t) => t.id), b = r.nosp.ids;
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      let i = 0; while (a[i] === b[i]) i++;
      console.log(r.id, r.cat, 'at', i, JSON.stringify(toks.slice(i, i + 5).map((t) => [t.id, t.value, t.offsets])), JSON.stringify(r.nosp.tokens.slice(i, i + 5)), JSON.stringify(r.nosp.ids.slice(i, i + 5)));
      if (++shown > 8) break;
    } else {
      const { codePointOffsetsToUtf16 } = await import('../../../test/support/tokenizer-goldens-node.js');
      const exp = r.nosp.offsets.map((o) => codePointOffsetsToUtf16(r.text, o));
      const ao = toks.map(t=>t.offsets);
      let i = 0; while (i < ao.length && JSON.stringify(ao[i]) === JSON.stringify(exp[i])) i++;
      if (i < ao.length || ao.length !== exp.length) { console.log(r.id, r.cat, 'OFF at', i, JSON.stringify(toks.slice(Math.max(0,i-2), i + 4).map((t) => [t.value, t.offsets])), JSON.stringify(exp.slice(Math.max(0,i-2), i + 4)), JSON.stringify(r.text.slice(0,60))); if (++shown > 8) break; }
    }
  }
}, 120000);
