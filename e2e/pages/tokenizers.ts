// Runs the Rust-tokenizers conformance suite inside the page, on the same module the Node tests use.
import { checkTokenizerConformance } from '../../packages/webformers/test/support/tokenizer-conformance.js';
import { loadTokenizerSuite, readManifest, type ReadText } from '../../packages/webformers/test/support/tokenizer-suite.js';

const readText: ReadText = async (path) => {
  const response = await fetch(`/${path}`);
  if (!response.ok) throw new Error(`GET /${path}: HTTP ${response.status}`);
  return response.text();
};

async function runTokenizerConformance(name: string) {
  const entry = (await readManifest(readText)).find((e) => e.name === name);
  if (!entry) throw new Error(`no tokenizer named ${name} in the manifest`);
  const report = checkTokenizerConformance(await loadTokenizerSuite(entry, readText));
  return { total: report.total, failureCount: report.failures.length, firstFailures: report.failures.slice(0, 5) };
}

Object.assign(globalThis, { runTokenizerConformance, tokenizerNames: async () => (await readManifest(readText)).map((e) => e.name) });
document.getElementById('log')!.textContent = 'ready';
