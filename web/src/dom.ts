// A tiny DOM builder. Text always goes in as text nodes (never innerHTML), and there are no inline
// style attributes: the server's CSP (style-src 'self') forbids them; styling is by class only.

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (ev: Event) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  let value: string | undefined;
  if (props) {
    for (const key of Object.keys(props)) {
      const v = props[key];
      if (v == null || v === false) continue;
      if (typeof v === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), v);
      } else if (key === 'value') {
        value = String(v);
      } else {
        el.setAttribute(key, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  // Set after the children exist, so that a <select> finds its <option>.
  if (value !== undefined) (el as HTMLInputElement).value = value;
  return el;
}

function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

let counter = 0;
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

// Replaces the children of a part of the page that repaints itself. Focus goes to `focusId`, or
// stays on the element it was on (found again by id, with its caret) when that was rebuilt.
export function repaint(root: HTMLElement, focusId: string | undefined, ...children: Child[]): void {
  const active = document.activeElement as HTMLInputElement | null;
  const keep = active && active !== root && root.contains(active) && active.id ? { id: active.id, start: active.selectionStart, end: active.selectionEnd } : null;
  root.replaceChildren();
  append(root, children);
  const el = document.getElementById(focusId ?? keep?.id ?? '') as HTMLInputElement | null;
  if (!el) return;
  el.focus();
  if (!focusId && keep?.start != null && typeof el.setSelectionRange === 'function') {
    try {
      el.setSelectionRange(keep.start, keep.end);
    } catch {
      // not a text field (a date, a file input)
    }
  }
}

// A tab's view: painted at once, its data loaded the first time it is shown, then painted again.
export function loadOnFirstView(root: HTMLElement, paint: () => void, load: () => Promise<unknown>): () => HTMLElement {
  let loaded = false;
  return () => {
    paint();
    if (!loaded) {
      loaded = true;
      void load().then(() => paint());
    }
    return root;
  };
}
