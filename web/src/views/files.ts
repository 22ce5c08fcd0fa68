import type { FileInfo } from '../api';
import { h } from '../dom';
import { formatSize, t } from '../i18n';
import type { Actions, Picked, PickTarget } from '../state';
import { MAX_FILES, pickIds } from '../workspace';

// Download links: the server sends files as attachments, with their name.
export function fileLinks(files: FileInfo[], label: string): HTMLElement | null {
  if (!files.length) return null;
  return h(
    'ul',
    { class: 'files', 'aria-label': label },
    files.map((f) =>
      h(
        'li',
        null,
        h('a', { href: `/api/files/${encodeURIComponent(f.id)}`, download: f.name }, f.name),
        h('span', { class: 'meta' }, ` · ${formatSize(f.size)}`),
      ),
    ),
  );
}

// What a file picker does with the files chosen or removed: app's actions for the hand-in and the
// editor, the messages module's own for a message.
export interface PickOps {
  add(files: FileList | null): void;
  remove(kind: 'keep' | 'pending', index: number): void;
}

export function filePicker(a: Actions, target: PickTarget, p: Picked, busy: boolean, label: string): HTMLElement {
  const ops: PickOps = { add: (files) => a.addFiles(target, files), remove: (kind, i) => a.removeFile(target, kind, i) };
  return picker(ops, pickIds(target), p, busy, label);
}

// The files of a form: those already sent (kept unless removed), the new ones with their upload
// progress, and a file input. The input is emptied by each render; what it picked lives in state.
export function picker(ops: PickOps, id: string, p: Picked, busy: boolean, label: string): HTMLElement {
  const remove = (kind: 'keep' | 'pending', i: number, name: string) =>
    !busy &&
    h(
      'button',
      { type: 'button', class: 'small', onClick: () => ops.remove(kind, i) },
      t('removeFile'),
      h('span', { class: 'sr-only' }, ` « ${name} »`),
    );
  return h(
    'div',
    { class: 'field picker' },
    h('label', { for: id }, label),
    h('p', { class: 'hint', id: `${id}-hint` }, t('filesHint')),
    (p.keep.length > 0 || p.pending.length > 0) &&
      h(
        'ul',
        { class: 'files picked' },
        p.keep.map((f, i) =>
          h(
            'li',
            null,
            h('a', { href: `/api/files/${encodeURIComponent(f.id)}`, download: f.name }, f.name),
            h('span', { class: 'meta' }, ` · ${formatSize(f.size)}`),
            remove('keep', i, f.name),
          ),
        ),
        p.pending.map((x, i) =>
          h(
            'li',
            null,
            h('span', null, x.file.name),
            h('span', { class: 'meta' }, ` · ${formatSize(x.file.size)}`),
            busy &&
              h('progress', { max: '1', value: String(x.done ? 1 : x.progress), 'aria-label': t('uploading', { name: x.file.name }) }),
            remove('pending', i, x.file.name),
          ),
        ),
      ),
    p.loading
      ? h('p', { class: 'loading' }, t('loading'))
      : h('input', {
          id,
          type: 'file',
          multiple: true,
          'aria-describedby': `${id}-hint`,
          disabled: busy || p.keep.length + p.pending.length >= MAX_FILES,
          onChange: (ev: Event) => ops.add((ev.target as HTMLInputElement).files),
        }),
  );
}
