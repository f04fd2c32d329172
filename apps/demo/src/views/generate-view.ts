/**
 * Text generation and chat: tokens appear as they are made, Stop aborts the call, and the
 * decoding controls map one to one onto generation options. Beam search returns at the end:
 * like Python transformers, a streamer cannot follow several beams.
 */
import { field, h, replaceChildren, select } from '../dom.js';
import { formatMs } from '../format.js';
import { ModelPanel } from '../model-panel.js';
import { loadTokenizer, type ChatTurn, type GeneratedText, type GenerationCallOptions, type TextGenerationPipeline } from '../runtime.js';
import { taskLayout, type View } from './task-layout.js';

type Mode = 'complete' | 'chat';

function numberInput(id: string, value: number, min: number, max: number, step: number): HTMLInputElement {
  return h('input', { id, type: 'number', value, min, max, step });
}

export function generateView(): View {
  const panel = new ModelPanel('generate', 'text-generation');
  const mode = select('gen-mode', [['complete', 'Continue a text'], ['chat', 'Chat (models with a chat template)']], 'complete');
  const prompt = h('textarea', { id: 'gen-prompt', rows: 3, spellcheck: false }, 'Once upon a time');
  const maxNew = numberInput('gen-max-new-tokens', 40, 1, 512, 1);
  const sample = h('input', { id: 'gen-sample', type: 'checkbox' });
  const temperature = numberInput('gen-temperature', 0.8, 0.05, 2, 0.05);
  const topK = numberInput('gen-top-k', 40, 0, 200, 1);
  const topP = numberInput('gen-top-p', 1, 0.05, 1, 0.05);
  const beams = numberInput('gen-beams', 1, 1, 8, 1);
  const penalty = numberInput('gen-repetition-penalty', 1, 1, 2, 0.05);
  const generateButton = h('button', { type: 'button', class: 'primary', id: 'gen-run' }, 'Generate');
  const stopButton = h('button', { type: 'button', class: 'danger', id: 'gen-stop', disabled: true }, 'Stop');
  const output = h('div', { class: 'gen-output', id: 'gen-output', 'aria-live': 'polite' });
  const transcript: ChatTurn[] = [];
  const tokenizers = new Map<string, ReturnType<typeof loadTokenizer>>();
  let controller: AbortController | undefined;

  const samplingControls = [temperature, topK, topP];
  const syncControls = () => {
    for (const control of samplingControls) control.disabled = !sample.checked;
    prompt.placeholder = mode.value === 'chat' ? 'Your message' : 'The start of a text';
  };
  sample.addEventListener('change', syncControls);
  mode.addEventListener('change', () => {
    transcript.length = 0;
    output.replaceChildren();
    prompt.value = mode.value === 'chat' ? 'Tell me a short story about a dog.' : 'Once upon a time';
    syncControls();
  });
  syncControls();

  const options = (): GenerationCallOptions => ({
    max_new_tokens: Number(maxNew.value),
    do_sample: sample.checked,
    ...(sample.checked ? { temperature: Number(temperature.value), top_k: Number(topK.value), top_p: Number(topP.value) } : {}),
    num_beams: Number(beams.value),
    repetition_penalty: Number(penalty.value),
  });

  generateButton.addEventListener('click', () => void (async () => {
    generateButton.disabled = true;
    stopButton.disabled = false;
    controller = new AbortController();
    try {
      const generator = await panel.ensureLoaded();
      const chat = (mode.value as Mode) === 'chat';
      const input: string | ChatTurn[] = chat ? [...transcript, { role: 'user', content: prompt.value }] : prompt.value;
      const target = showTurn(output, chat, prompt.value, transcript);
      const { text, stats } = await runGeneration(generator, input, { ...options(), signal: controller.signal }, target);
      if (chat) transcript.push({ role: 'user', content: prompt.value }, { role: 'assistant', content: text });
      const tokens = await countTokens(tokenizers, panel.modelId, text);
      panel.stats.set('first', 'First token', stats.firstMs === undefined ? '— (beam search)' : formatMs(stats.firstMs));
      panel.stats.set('total', 'Whole call', formatMs(stats.totalMs));
      panel.stats.set('tokens', 'New tokens', String(tokens));
      panel.stats.set('rate', 'Tokens/s', (tokens / (stats.totalMs / 1000)).toFixed(1));
      if (chat) prompt.value = '';
    } catch (error) {
      panel.errors.show(error);
    } finally {
      generateButton.disabled = false;
      stopButton.disabled = true;
    }
  })());
  stopButton.addEventListener('click', () => controller?.abort());

  const controls = h('div', { class: 'controls-grid' },
    field('New tokens', maxNew),
    h('div', { class: 'field checkbox' }, h('label', { for: 'gen-sample' }, sample, ' Sample (otherwise greedy)')),
    field('Temperature', temperature),
    field('Top-k', topK),
    field('Top-p', topP),
    field('Beams', beams),
    field('Repetition penalty', penalty));
  const work = h('section', { class: 'card' },
    field('Mode', mode),
    field('Prompt', prompt),
    h('details', { class: 'decoding', open: true }, h('summary', {}, 'Decoding'), controls,
      h('p', { class: 'help' }, 'With more than one beam the text arrives at the end: a stream can only follow one sequence.')),
    h('div', { class: 'actions' }, generateButton, stopButton),
    output);
  const intro = 'Writes on from your text, token by token. The embedded stories-lm (3.4M parameters) knows local English and story phrases, not whole stories.';
  return taskLayout('generate', 'Text generation', intro, panel.element, work);
}

interface GenerationStats {
  firstMs: number | undefined;
  totalMs: number;
}

/** Streams into `target` (one beam) or waits for the result (beam search); returns the new text. */
async function runGeneration(generator: TextGenerationPipeline, input: string | ChatTurn[], options: GenerationCallOptions, target: HTMLElement): Promise<{ text: string; stats: GenerationStats }> {
  const started = performance.now();
  let firstMs: number | undefined;
  let result: GeneratedText[];
  if ((options.num_beams ?? 1) > 1) {
    target.classList.add('waiting');
    result = await generator(input, options);
    target.classList.remove('waiting');
  } else {
    const stream = generator.stream(input, options);
    for (;;) {
      const step = await stream.next();
      if (step.done) {
        result = step.value as GeneratedText[];
        break;
      }
      firstMs ??= performance.now() - started;
      target.textContent += step.value;
    }
  }
  const text = newText(input, result[0].generated_text);
  target.textContent = text;
  // Stop ends generation after the current step and answers with the text so far: stopped, not done.
  if (options.signal?.aborted) target.dataset.stopped = '';
  else target.dataset.done = '';
  return { text, stats: { firstMs, totalMs: performance.now() - started } };
}

/** The continuation alone: the pipeline answers with the prompt included (or the whole chat). */
function newText(input: string | ChatTurn[], generated: string | ChatTurn[]): string {
  if (typeof generated !== 'string') return generated.at(-1)?.content ?? '';
  return typeof input === 'string' && generated.startsWith(input) ? generated.slice(input.length) : generated;
}

/** Shows the prompt (or the chat so far) and returns the element the new text streams into. */
function showTurn(output: HTMLElement, chat: boolean, prompt: string, transcript: readonly ChatTurn[]): HTMLElement {
  const generated = h('span', { class: 'generated', 'data-generated': '' });
  if (chat) {
    replaceChildren(output,
      transcript.map((t) => h('p', { class: `turn ${t.role}` }, t.content)),
      h('p', { class: 'turn user' }, prompt),
      h('p', { class: 'turn assistant' }, generated));
  } else {
    replaceChildren(output, h('p', { class: 'completion' }, h('span', { class: 'prompt' }, prompt), generated));
  }
  return generated;
}

async function countTokens(cache: Map<string, ReturnType<typeof loadTokenizer>>, model: string, text: string): Promise<number> {
  let tokenizer = cache.get(model);
  if (!tokenizer) {
    tokenizer = loadTokenizer(model);
    cache.set(model, tokenizer);
  }
  const ids = await (await tokenizer).encode(text, { add_special_tokens: false });
  return ids.length;
}
