/**
 * The app shell: header with the view tabs, one view per task plus storage, hash routing
 * (`#ner`) so views can be linked and reloaded offline, the online/offline badge, and the
 * service worker that makes the app installable and offline-capable.
 */
import './styles.css';
import { h } from './dom.js';
import { registerServiceWorker } from './pwa.js';
import { classifyView } from './views/classify-view.js';
import { generateView } from './views/generate-view.js';
import { nerView } from './views/ner-view.js';
import { qaView } from './views/qa-view.js';
import { storageView } from './views/storage-view.js';
import type { View } from './views/task-layout.js';

const TABS: readonly { id: string; label: string; icon: string }[] = [
  { id: 'generate', label: 'Generate', icon: '✎' },
  { id: 'ner', label: 'Entities', icon: '◎' },
  { id: 'classify', label: 'Classify', icon: '▤' },
  { id: 'qa', label: 'Answer', icon: '?' },
  { id: 'storage', label: 'Storage', icon: '⛁' },
];

function start(): void {
  const views: View[] = [generateView(), nerView(), classifyView(), qaView(), storageView()];
  const links = TABS.map((tab) => h('a', { href: `#${tab.id}`, class: 'tab', 'data-view': tab.id }, h('span', { class: 'tab-icon', 'aria-hidden': 'true' }, tab.icon), tab.label));
  const network = h('span', { class: 'network', id: 'network-state' });
  const header = h('header', { class: 'app-header' },
    h('a', { class: 'brand', href: '#generate' }, h('img', { src: `${import.meta.env.BASE_URL}icons/icon.svg`, alt: '', width: 28, height: 28 }), h('span', {}, 'webformers'), h('span', { class: 'brand-sub' }, 'demo')),
    h('nav', { class: 'tabs', 'aria-label': 'Views' }, links),
    network);
  const main = h('main', { class: 'app-main' }, views.map((v) => v.element));
  const footer = h('footer', { class: 'app-footer' },
    'Everything runs on this device: models execute in a Web Worker with onnxruntime-web. ',
    'The embedded models were trained from scratch for this demo; ',
    h('a', { href: `${import.meta.env.BASE_URL}models/README.md` }, 'their data and licences'), '.');
  document.body.replaceChildren(header, main, footer);

  const show = () => {
    const wanted = location.hash.slice(1);
    const current = views.find((v) => v.id === wanted) ?? views[0];
    for (const view of views) view.element.hidden = view !== current;
    for (const link of links) link.setAttribute('aria-current', link.dataset.view === current.id ? 'page' : 'false');
    document.title = `${current.title} · webformers demo`;
    current.element.dispatchEvent(new Event('view-shown'));
  };
  const showNetwork = () => {
    network.textContent = navigator.onLine ? 'Online' : 'Offline';
    network.dataset.online = String(navigator.onLine);
  };
  addEventListener('hashchange', show);
  addEventListener('online', showNetwork);
  addEventListener('offline', showNetwork);
  show();
  showNetwork();
  registerServiceWorker();
}

start();
