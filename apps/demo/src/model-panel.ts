/**
 * The model card every view has: which model (embedded, Hub defaults, or any Hub id), device
 * and dtype, the Load button, a progress bar per file, the ready state with what was chosen
 * and why, and timings. Views ask it for the loaded pipeline; it loads on first use.
 */
import type { ProgressInfo } from 'webformers';
import { MODELS, isEmbedded, type TaskId } from './catalogue.js';
import { DEVICE_CHOICES, DTYPE_CHOICES, probeGpu, resolveChoice, type DTypeChoice, type DeviceChoice, type LoadChoice } from './device-choice.js';
import { field, h, replaceChildren, select } from './dom.js';
import { ErrorBox } from './error-box.js';
import { formatMs } from './format.js';
import { ProgressList } from './progress-list.js';
import { RUNTIME_KIND, loadPipeline, type DemoTask, type PipelineTypes } from './runtime.js';
import { StatList } from './stat-list.js';

const CUSTOM = '__custom__';

interface Loaded<T extends DemoTask> {
  key: string;
  pipeline: PipelineTypes[T];
}

export class ModelPanel<T extends DemoTask> {
  readonly element: HTMLElement;
  readonly stats = new StatList();
  readonly errors = new ErrorBox();
  readonly #task: T;
  readonly #modelSelect: HTMLSelectElement;
  readonly #customInput: HTMLInputElement;
  readonly #deviceSelect: HTMLSelectElement;
  readonly #dtypeSelect: HTMLSelectElement;
  readonly #loadButton: HTMLButtonElement;
  readonly #status = h('p', { class: 'status', 'data-state': 'idle' }, 'Not loaded yet: it loads when you first run, or press Load.');
  readonly #choiceInfo = h('ul', { class: 'choice-info' });
  readonly #progress = new ProgressList();
  #loaded: Loaded<T> | undefined;
  #loading: Promise<PipelineTypes[T]> | undefined;

  constructor(taskId: TaskId, task: T) {
    this.#task = task;
    const models = MODELS[taskId];
    const id = (name: string) => `${taskId}-${name}`;
    this.#modelSelect = select(id('model'), [...models.map((m) => [m.id, m.label] as const), [CUSTOM, 'Other Hub model…']], models[0].id);
    this.#customInput = h('input', { id: id('custom-model'), type: 'text', placeholder: 'org/name, e.g. Xenova/distilgpt2', spellcheck: false, autocomplete: 'off' });
    this.#deviceSelect = select(id('device'), DEVICE_CHOICES, 'auto');
    this.#dtypeSelect = select(id('dtype'), DTYPE_CHOICES, 'auto');
    this.#loadButton = h('button', { type: 'button', class: 'secondary', onclick: () => void this.load().catch(() => undefined) }, 'Load');
    const customField = field('Hub model id', this.#customInput, 'Any Hub repository with ONNX weights under onnx/ (as exported for transformers.js).');
    customField.hidden = true;
    const note = h('p', { class: 'help' }, models[0].note);
    this.#modelSelect.addEventListener('change', () => {
      customField.hidden = this.#modelSelect.value !== CUSTOM;
      note.textContent = models.find((m) => m.id === this.#modelSelect.value)?.note ?? '';
      this.#refreshStatus();
    });
    for (const control of [this.#customInput, this.#deviceSelect, this.#dtypeSelect]) control.addEventListener('change', () => this.#refreshStatus());

    this.element = h('section', { class: 'card model-panel', 'aria-label': 'Model' },
      h('h2', {}, 'Model'),
      field('Model', this.#modelSelect, note),
      customField,
      h('div', { class: 'field-row' }, field('Device', this.#deviceSelect), field('Weights (dtype)', this.#dtypeSelect)),
      h('div', { class: 'actions' }, this.#loadButton, this.#status),
      this.#choiceInfo,
      this.#progress.element,
      this.stats.element,
      this.errors.element);
  }

  /** The model id the pickers name now. */
  get modelId(): string {
    return this.#modelSelect.value === CUSTOM ? this.#customInput.value.trim() : this.#modelSelect.value;
  }

  /** The pipeline for the current pickers, loading it (and disposing the previous one) when they changed. */
  async ensureLoaded(): Promise<PipelineTypes[T]> {
    if (this.#loaded && this.#loaded.key === this.#selectionKey()) return this.#loaded.pipeline;
    return this.load();
  }

  load(): Promise<PipelineTypes[T]> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #load(): Promise<PipelineTypes[T]> {
    const model = this.modelId;
    const key = this.#selectionKey();
    this.errors.clear();
    this.#progress.reset();
    this.stats.clear();
    if (model === '') {
      this.#customInput.focus();
      const error = Object.assign(new Error('Type a Hub model id first.'), { code: 'invalid_pipeline_input', hint: 'For example Xenova/distilgpt2.' });
      this.errors.show(error);
      throw error;
    }
    const choice = resolveChoice(this.#deviceSelect.value as DeviceChoice, this.#dtypeSelect.value as DTypeChoice, await probeGpu(), isEmbedded(model));
    this.#showChoice(choice);
    this.#setStatus('loading', `Loading ${model}…`);
    this.#loadButton.disabled = true;
    const previous = this.#loaded;
    this.#loaded = undefined;
    await previous?.pipeline.dispose().catch(() => undefined);
    const started = performance.now();
    try {
      const pipeline = await loadPipeline(this.#task, model, choice, (info: ProgressInfo) => {
        if (info.status === 'choice') this.#showLoadedAs(info.device, Object.values(info.dtype), info.reason);
        this.#progress.update(info);
      });
      const loadMs = performance.now() - started;
      this.#loaded = { key, pipeline };
      this.stats.set('load', 'Load', formatMs(loadMs));
      this.#setStatus('ready', `Ready: ${model}`);
      return pipeline;
    } catch (error) {
      this.#setStatus('error', 'Not loaded');
      this.#progress.markUnfinished();
      this.errors.show(error);
      throw error;
    } finally {
      this.#loadButton.disabled = false;
    }
  }

  #selectionKey(): string {
    return [this.modelId, this.#deviceSelect.value, this.#dtypeSelect.value].join('|');
  }

  #refreshStatus(): void {
    if (this.#loaded && this.#loaded.key !== this.#selectionKey()) this.#setStatus('stale', 'Changed: loads again on the next run.');
  }

  #setStatus(state: 'idle' | 'loading' | 'ready' | 'error' | 'stale', text: string): void {
    this.#status.dataset.state = state;
    this.#status.textContent = text;
  }

  /** What the library reports it actually loaded, beside what the pickers asked for. */
  #showLoadedAs(device: string, dtypes: string[], reason: string): void {
    this.#choiceInfo.querySelector('[data-choice="loaded"]')?.remove();
    this.#choiceInfo.append(h('li', { 'data-choice': 'loaded' }, h('b', {}, 'Loaded as'), ` — ${device} · ${[...new Set(dtypes)].join(', ')} (${reason})`));
  }

  #showChoice(choice: LoadChoice): void {
    void probeGpu().then((gpu) => {
      replaceChildren(this.#choiceInfo,
        h('li', { 'data-choice': 'device' }, h('b', {}, choice.device === 'webgpu' ? 'WebGPU' : 'WebAssembly'), ` — ${choice.deviceReason}`),
        h('li', { 'data-choice': 'dtype' }, h('b', {}, choice.dtype), ` — ${choice.dtypeReason}`),
        h('li', { 'data-choice': 'adapter' }, h('b', {}, 'Adapter'), ` — ${gpu.description}${gpu.fallback ? ' (software fallback)' : ''}${gpu.shaderF16 ? ', shader-f16' : ''}`),
        h('li', { 'data-choice': 'runtime' }, h('b', {}, 'Runs in'), ` — ${RUNTIME_KIND}${crossOriginIsolated ? ', cross-origin isolated (wasm threads)' : ''}`));
    });
  }
}
