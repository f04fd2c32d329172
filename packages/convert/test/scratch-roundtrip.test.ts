import { test } from 'vitest';
import { quantize, type Dtype } from '../src/index.js';
import { listFixtures, readFixtureFiles, runFixture, cosine, goldenData, type Comparison } from './fixture-runner.js';

test('scratch', async () => {
  for (const fx of listFixtures()) {
    const fp32 = readFixtureFiles(fx);
    const ref = await runFixture(fx, fp32);
    for (const dtype of ['fp16', 'q8', 'q4', 'q4f16'] as const) for (const qe of [false, true]) {
      if (dtype === 'fp16' && qe) continue;
      try {
        const files: Record<string, Uint8Array> = {};
        let size = 0, size0 = 0;
        for (const [f, b] of Object.entries(fp32)) { files[f] = quantize(b, { dtype: dtype as Dtype, quantizeEmbeddings: qe }); size += files[f].length; size0 += b.length; }
        const res: Comparison[] = await runFixture(fx, files);
        let minCos = 1; let worst = '';
        res.forEach((r, i) => { const g = goldenData(r.golden); const c = cosine(r.actual, g ?? ref[i].actual); if (!(c >= minCos)) { minCos = c; worst = r.caseName; } });
        console.log(fx.name, dtype, qe, minCos.toFixed(6), worst, (size / size0).toFixed(3));
      } catch (e) { console.log(fx.name, dtype, 'ERROR', String(e).slice(0, 400)); }
    }
  }
});
