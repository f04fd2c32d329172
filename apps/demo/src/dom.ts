/**
 * The one DOM helper the app uses: `h('div', { class: 'card' }, child, 'text')`. Attributes
 * are set as attributes (strings) except `on*` listeners and boolean `true`/`false`.
 */
type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children.flat());
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children.flat());
}

/** A `<select>` whose options are `[value, label]` pairs. */
export function select(name: string, options: readonly (readonly [string, string])[], selected: string): HTMLSelectElement {
  const element = h('select', { name, id: name });
  for (const [value, label] of options) element.append(h('option', { value, selected: value === selected }, label));
  return element;
}

/** A labelled form field: `<label for=…>` plus the control and an optional help line. */
export function field(label: string, control: HTMLElement, help?: string | Node): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, help ? h('p', { class: 'help' }, help) : null);
}
