/**
 * Storage and settings: the origin's usage and quota, the Hub models webformers has stored
 * (each weight variant and its size, delete one or all), the embedded models the service
 * worker keeps for offline use, persistent storage, and which host Hub models come from.
 */
import { embeddedModelsURL } from '../catalogue.js';
import { field, h, replaceChildren } from '../dom.js';
import { ErrorBox } from '../error-box.js';
import { formatBytes } from '../format.js';
import { deleteOfflineModel, listOfflineModels, type OfflineModel } from '../offline-files.js';
import { hubSettings, storage, type StorageFigures, type StoredModel } from '../runtime.js';
import { taskLayout, type View } from './task-layout.js';

export function storageView(): View {
  const figures = h('dl', { class: 'storage-figures', id: 'storage-figures' });
  const meter = h('span', { class: 'bar-fill' });
  const stored = h('div', { id: 'stored-models' });
  const offline = h('div', { id: 'offline-models' });
  const persistState = h('span', { id: 'persist-state', class: 'status' });
  const errors = new ErrorBox();

  const refresh = async () => {
    errors.clear();
    try {
      const [usage, models, kept, persisted] = await Promise.all([
        storage.usage(), storage.list(), listOfflineModels(embeddedModelsURL()), navigator.storage?.persisted?.() ?? Promise.resolve(false),
      ]);
      showFigures(figures, meter, usage);
      replaceChildren(stored, storedModels(models, refresh, errors));
      replaceChildren(offline, offlineModels(kept, refresh));
      persistState.textContent = persisted ? 'Persistent: the browser will not evict these files.' : 'Best effort: the browser may evict these files when space runs low.';
      persistState.dataset.persisted = String(persisted);
    } catch (error) {
      errors.show(error);
    }
  };

  const refreshButton = h('button', { type: 'button', class: 'secondary', id: 'storage-refresh', onclick: () => void refresh() }, 'Refresh');
  // Two clicks instead of confirm(): a modal dialog would block the page, and this is easy to undo by downloading again.
  const clearButton = h('button', { type: 'button', class: 'danger', id: 'storage-clear' }, 'Delete all');
  clearButton.addEventListener('click', () => void (async () => {
    if (clearButton.dataset.armed === undefined) {
      clearButton.dataset.armed = '';
      clearButton.textContent = 'Click again to delete all';
      setTimeout(() => {
        delete clearButton.dataset.armed;
        clearButton.textContent = 'Delete all';
      }, 4000);
      return;
    }
    delete clearButton.dataset.armed;
    clearButton.textContent = 'Delete all';
    await storage.clear().catch((error: unknown) => errors.show(error));
    await refresh();
  })());
  const persistButton = h('button', { type: 'button', class: 'secondary', id: 'storage-persist', onclick: () => void (async () => {
    await storage.persist().catch(() => false);
    await refresh();
  })() }, 'Ask for persistent storage');

  const host = h('input', { id: 'hub-host', type: 'url', value: hubSettings.remoteHost, spellcheck: false });
  host.addEventListener('change', () => {
    hubSettings.remoteHost = host.value.trim() || 'https://huggingface.co/';
  });

  const work = h('div', { class: 'stack' },
    h('section', { class: 'card' },
      h('h2', {}, 'Space'),
      h('span', { class: 'bar meter', 'aria-hidden': 'true' }, meter),
      figures,
      h('div', { class: 'actions' }, refreshButton, persistButton, persistState),
      errors.element),
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, 'Stored Hub models'), clearButton), stored),
    h('section', { class: 'card' }, h('h2', {}, 'Embedded models kept for offline use'), offline));
  const settings = h('section', { class: 'card' },
    h('h2', {}, 'Settings'),
    field('Model host', host, 'Where Hub models download from; set a mirror here. Models load from https://huggingface.co/ by default.'));
  const view = taskLayout('storage', 'Storage', 'What this site keeps on your device, and how much room is left.', settings, work);
  view.element.addEventListener('view-shown', () => void refresh());
  return view;
}

function showFigures(figures: HTMLElement, meter: HTMLElement, usage: StorageFigures): void {
  const quota = usage.quota ?? NaN;
  const used = usage.usage ?? NaN;
  figures.dataset.quota = String(usage.quota ?? '');
  figures.dataset.usage = String(usage.usage ?? '');
  figures.dataset.store = String(usage.bytes);
  meter.style.width = Number.isFinite(quota) && quota > 0 ? `${Math.max(0.5, (used / quota) * 100)}%` : '0%';
  const row = (key: string, label: string, value: string) => h('div', {}, h('dt', {}, label), h('dd', { 'data-figure': key }, value));
  replaceChildren(figures,
    row('usage', 'Used by this site', formatBytes(used)),
    row('available', 'Available', formatBytes(quota - used)),
    row('quota', 'Quota', formatBytes(quota)),
    row('store', 'Hub models (webformers store)', formatBytes(usage.bytes)));
}

function storedModels(models: StoredModel[], refresh: () => Promise<void>, errors: ErrorBox): HTMLElement {
  if (models.length === 0) return h('p', { class: 'empty' }, 'No Hub models stored yet. Models you load from the Hub are stored here for next time.');
  const remove = (model: string, options: { dtype?: string; revision?: string; host?: string }) => async () => {
    await storage.delete(model, options).catch((error: unknown) => errors.show(error));
    await refresh();
  };
  return h('ul', { class: 'model-list' }, models.map((m) => {
    const variants = new Map<string, number>();
    for (const file of m.files) if (file.dtype) variants.set(file.dtype, (variants.get(file.dtype) ?? 0) + file.bytes);
    return h('li', { 'data-model': m.model },
      h('div', { class: 'model-line' },
        h('span', { class: 'model-name' }, m.model),
        h('span', { class: 'muted' }, `${m.revision} · ${new URL(m.host).host}`),
        h('span', { class: 'size', 'data-bytes': String(m.bytes) }, formatBytes(m.bytes)),
        h('button', { type: 'button', class: 'link danger', 'data-delete-model': m.model, onclick: () => void remove(m.model, { revision: m.revision, host: m.host })() }, 'Delete')),
      h('ul', { class: 'variants' }, [...variants].map(([dtype, bytes]) =>
        h('li', { 'data-variant': dtype },
          h('span', { class: 'chip' }, dtype), formatBytes(bytes),
          h('button', { type: 'button', class: 'link', onclick: () => void remove(m.model, { dtype, revision: m.revision, host: m.host })() }, 'delete variant')))));
  }));
}

function offlineModels(kept: OfflineModel[], refresh: () => Promise<void>): HTMLElement {
  if (kept.length === 0) return h('p', { class: 'empty' }, 'None yet: an embedded model is kept here the first time you use it (after the app is installed for offline use).');
  return h('ul', { class: 'model-list' }, kept.map((m) =>
    h('li', { 'data-offline-model': m.name },
      h('div', { class: 'model-line' },
        h('span', { class: 'model-name' }, m.name),
        h('span', { class: 'muted' }, `${m.files.length} files`),
        h('span', { class: 'size' }, formatBytes(m.bytes)),
        h('button', { type: 'button', class: 'link danger', onclick: () => void deleteOfflineModel(embeddedModelsURL(), m.name).then(refresh) }, 'Delete')))));
}
