import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from 'vitest';

const SRC = join(import.meta.dirname, '../src');

/** Every module reachable from `entry` through relative imports, with what it imports. */
function importGraph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const pending = [resolve(SRC, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    const source = readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]);
    seen.set(file, specifiers);
    for (const s of specifiers) if (s.startsWith('.')) pending.push(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  }
  return seen;
}

test('the browser entry (index.ts) reaches no Node-only module', () => {
  const graph = importGraph('index.ts');
  expect(graph.size).toBeGreaterThan(10);
  const external = [...graph.values()].flat().filter((s) => !s.startsWith('.'));
  expect(external).toEqual([]);
});

test('only cli.ts and model-files.ts import node: modules', () => {
  const graph = importGraph('cli.ts');
  const users = [...graph].filter(([, specifiers]) => specifiers.some((s) => s.startsWith('node:'))).map(([file]) => file.slice(SRC.length + 1));
  expect(users.sort()).toEqual(['cli.ts', 'model-files.ts']);
});
