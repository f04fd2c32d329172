import { test } from 'vitest';
import { quantize } from '../src/index.js';
import { listFixtures, readFixtureFiles, runFixture, type ModelFiles } from './fixture-runner.js';
import { argmaxAgreement, maskedCosine, sizes } from './metrics.js';

test('profile', async () => {
  const fx = listFixtures().find((f) => f.name === (process.env.FX ?? 'tiny-random-bert-masked-lm'))!;
  const t = () => performance.now();
  let a = t();
  const fp32 = readFixtureFiles(fx);
  const ref = await runFixture(fx, fp32);
  console.log('ref run', t() - a); a = t();
  const files: ModelFiles = {};
  for (const [f, b] of Object.entries(fp32)) files[f] = quantize(b, { dtype: 'q4' });
  console.log('quantize', t() - a); a = t();
  const res = await runFixture(fx, files);
  console.log('run', t() - a); a = t();
  res.map((c, i) => maskedCosine(c, ref[i]));
  console.log('cos', t() - a); a = t();
  res.map((c, i) => argmaxAgreement(c, ref[i]));
  console.log('argmax', t() - a); a = t();
  sizes(files);
  console.log('sizes', t() - a); a = t();
});
