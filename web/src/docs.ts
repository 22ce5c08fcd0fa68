// "Documents": a class's documents in one subject, a tree of folders (docs/api.md, "Class
// documents"). Read by pupils, parents and teachers; written by the class's teachers of the subject.
// Loaded on demand like the live lesson, and repaints its own part of the page.
import { ApiError, type FileInfo, type Me, type Ref, request, upload } from './api';
import { h } from './dom';
import { errorText, isUnauthenticated } from './errors';
import { t } from './i18n';
import { fullName } from './views/shell';

interface Resource {
  id: number;
  parent_id: number;
  kind: 'folder' | 'document';
  name: string;
  file?: FileInfo;
}
interface Listing {
  may_write: boolean;
  items: Resource[];
}
export interface DocsCtx {
  me(): Me | null;
  announce(text: string): void;
  expired(): void;
}
type Edit = { id: number; mode: 'rename' | 'move' | 'delete'; value: string };

export function createDocs(ctx: DocsCtx) {
  let key = ''; // "<class_id>:<subject_id>"
  let list: Listing | null = null;
  let loading = false;
  let error: (() => string) | null = null;
  let notice: (() => string) | null = null;
  const open = new Set<number>(); // expanded folders
  let edit: Edit | null = null;
  let newFolder = '';
  let target = 0; // the folder new things go into
  let busy = false;
  let gen = 0;
  const root = h('div', { class: 'docs' });

  // The classes whose documents the user reads: a pupil's own, a parent's children's (labelled with
  // the child's name), each with the subjects it is taught (GET /api/classes/{id}/subjects).
  const taught = new Map<number, Ref[]>();
  let subjectsAsked = false;

  function readClasses(me: Me): { cls: Ref; who: string }[] {
    if (me.user.role === 'pupil' && me.user.class) return [{ cls: me.user.class, who: '' }];
    return me.children.flatMap((c) => (c.class ? [{ cls: c.class, who: `${fullName(c)} · ` }] : []));
  }

  async function loadSubjects(me: Me): Promise<void> {
    subjectsAsked = true;
    await Promise.all(readClasses(me).map(async ({ cls }) => {
      try {
        const r = await request<{ subjects: Ref[] }>('GET', `/api/classes/${cls.id}/subjects`);
        taught.set(cls.id, r.data?.subjects ?? []);
      } catch (e) {
        if (isUnauthenticated(e)) ctx.expired();
      }
    }));
    paint();
  }

  // The class and subject pairs the user may pick.
  function choices(me: Me): [string, string][] {
    if (me.user.role === 'teacher') return me.teaching.map((x) => [`${x.class.id}:${x.subject.id}`, `${x.class.name} — ${x.subject.name}`]);
    const out = new Map<string, string>();
    for (const { cls, who } of readClasses(me)) {
      for (const x of taught.get(cls.id) ?? []) out.set(`${cls.id}:${x.id}`, `${who}${x.name}`);
    }
    return [...out].sort((a, b) => a[1].localeCompare(b[1]));
  }

  function fail(e: unknown): void {
    if (isUnauthenticated(e)) return ctx.expired();
    error = () => (e instanceof ApiError && e.code === 'name_taken' ? t('docNameTaken') : errorText(e));
  }

  async function load(): Promise<void> {
    const [c, s] = key.split(':').map(Number);
    if (!c || !s) return;
    const g = ++gen;
    loading = true;
    paint();
    try {
      const r = await request<Listing>('GET', `/api/resources?class_id=${c}&subject_id=${s}`);
      if (g !== gen) return;
      list = r.data;
      error = null;
    } catch (e) {
      if (g !== gen) return;
      fail(e);
    }
    loading = false;
    paint();
  }

  // Runs one change, then reloads the tree (the server orders it) and says it is done.
  async function change(work: () => Promise<unknown>, done: string, focus: string): Promise<void> {
    if (busy) return;
    busy = true;
    error = notice = null;
    paint();
    try {
      await work();
      edit = null;
      notice = () => done;
      ctx.announce(done);
    } catch (e) {
      fail(e);
      focus = 'doc-error';
    }
    busy = false;
    await load();
    document.getElementById(focus)?.focus();
  }

  const [cls, subj] = [() => Number(key.split(':')[0]), () => Number(key.split(':')[1])];
  const create = (body: object) => request('POST', '/api/resources', { class_id: cls(), subject_id: subj(), parent_id: target, ...body });

  function folders(exclude = 0): Resource[] {
    // A folder cannot move into itself or below itself: leave out its subtree.
    const items = list?.items ?? [];
    const banned = new Set<number>(exclude ? [exclude] : []);
    let grew = true;
    while (grew) {
      grew = false;
      for (const x of items) if (!banned.has(x.id) && banned.has(x.parent_id)) (banned.add(x.id), (grew = true));
    }
    return items.filter((x) => x.kind === 'folder' && !banned.has(x.id));
  }

  function folderSelect(id: string, value: number, onChange: (v: number) => void, exclude = 0): HTMLElement {
    return h('select', { id, value: String(value), onChange: (ev: Event) => onChange(Number((ev.target as HTMLSelectElement).value)) },
      h('option', { value: '0' }, t('docTop')),
      folders(exclude).map((f) => h('option', { value: String(f.id) }, pathOf(f))));
  }

  function pathOf(r: Resource): string {
    const byId = new Map((list?.items ?? []).map((x) => [x.id, x]));
    const names = [r.name];
    for (let p = byId.get(r.parent_id), n = 0; p && n < 10; p = byId.get(p.parent_id), n++) names.unshift(p.name);
    return names.join(' / ');
  }

  function item(r: Resource, write: boolean): HTMLElement {
    const e = edit && edit.id === r.id ? edit : null;
    const hidden = h('span', { class: 'sr-only' }, ` « ${r.name} »`);
    const label =
      r.kind === 'folder'
        ? h('button', { type: 'button', id: `doc-${r.id}`, class: 'folder', 'aria-expanded': String(open.has(r.id)),
            onClick: () => (open.has(r.id) ? open.delete(r.id) : open.add(r.id), paint()) }, r.name)
        : h('a', { id: `doc-${r.id}`, href: r.file?.url ?? '#', download: r.name }, r.name);
    return h(
      'li',
      { class: r.kind, 'data-resource-id': String(r.id) },
      h('div', { class: 'doc-row' },
        label,
        write && !e && h('span', { class: 'actions' },
          h('button', { type: 'button', class: 'small', id: `doc-rename-${r.id}`, onClick: () => ((edit = { id: r.id, mode: 'rename', value: r.name }), paint(`doc-edit-${r.id}`)) }, t('docRename'), hidden.cloneNode(true)),
          h('button', { type: 'button', class: 'small', id: `doc-move-${r.id}`, onClick: () => ((edit = { id: r.id, mode: 'move', value: String(r.parent_id) }), paint(`doc-edit-${r.id}`)) }, t('docMove'), hidden.cloneNode(true)),
          h('button', { type: 'button', class: 'small danger-ghost', id: `doc-delete-${r.id}`, onClick: () => ((edit = { id: r.id, mode: 'delete', value: '' }), paint(`doc-edit-${r.id}`)) }, t('delete'), hidden),
        ),
      ),
      e && editForm(r, e),
      r.kind === 'folder' && open.has(r.id) && tree(r.id, write),
    );
  }

  function editForm(r: Resource, e: Edit): HTMLElement {
    const cancel = h('button', { type: 'button', id: `doc-cancel-${r.id}`, onClick: () => ((edit = null), paint(`doc-${e.mode}-${r.id}`)) }, t('cancel'));
    const patch = (body: object, done: string) => void change(() => request('PATCH', `/api/resources/${r.id}`, body), done, `doc-${r.id}`);
    if (e.mode === 'delete') {
      return h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `doc-q-${r.id}` },
        h('p', { id: `doc-q-${r.id}` }, t(r.kind === 'folder' ? 'docDeleteFolder' : 'docDeleteDoc', { name: r.name })),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'danger', id: `doc-edit-${r.id}`, onClick: () => void change(() => request('DELETE', `/api/resources/${r.id}`), t('docDeleted'), 'doc-heading') }, t('confirmDeleteButton')),
          cancel));
    }
    const field =
      e.mode === 'rename'
        ? h('input', { id: `doc-edit-${r.id}`, type: 'text', maxlength: '200', value: e.value, onInput: (ev: Event) => (e.value = (ev.target as HTMLInputElement).value) })
        : folderSelect(`doc-edit-${r.id}`, Number(e.value), (v) => (e.value = String(v)), r.kind === 'folder' ? r.id : 0);
    return h('form', { class: 'doc-edit', onSubmit: (ev: Event) => {
        ev.preventDefault();
        if (e.mode === 'rename') patch({ name: e.value.trim() }, t('docRenamed'));
        else patch({ parent_id: Number(e.value) }, t('docMoved'));
      } },
      h('label', { for: `doc-edit-${r.id}` }, t(e.mode === 'rename' ? 'docNewName' : 'docTarget')),
      field,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: `doc-save-${r.id}` }, t('save')), cancel));
  }

  function tree(parent: number, write: boolean): HTMLElement {
    const kids = (list?.items ?? []).filter((x) => x.parent_id === parent);
    return h('ul', { class: 'doc-tree' }, kids.length ? kids.map((r) => item(r, write)) : h('li', { class: 'empty' }, t('docEmpty')));
  }

  function writeForms(): HTMLElement {
    return h('section', { class: 'doc-write', 'aria-labelledby': 'doc-add' },
      h('h3', { id: 'doc-add' }, t('docAdd')),
      h('div', { class: 'field' }, h('label', { for: 'doc-target' }, t('docInto')), folderSelect('doc-target', target, (v) => (target = v))),
      h('form', { class: 'doc-edit', onSubmit: (ev: Event) => {
          ev.preventDefault();
          const name = newFolder.trim();
          if (!name) return;
          void change(() => create({ kind: 'folder', name }).then(() => { newFolder = ''; if (target) open.add(target); }), t('docFolderCreated'), 'doc-folder-name');
        } },
        h('label', { for: 'doc-folder-name' }, t('docFolderName')),
        h('input', { id: 'doc-folder-name', type: 'text', maxlength: '200', value: newFolder, onInput: (ev: Event) => (newFolder = (ev.target as HTMLInputElement).value) }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'doc-folder-create' }, t('docCreateFolder')))),
      h('div', { class: 'field' },
        h('label', { for: 'doc-file' }, t('docUpload')),
        h('input', { id: 'doc-file', type: 'file', onChange: (ev: Event) => {
            const input = ev.target as HTMLInputElement;
            const file = input.files?.[0];
            if (!file) return;
            void change(async () => {
              const f = await upload(file, () => {});
              await create({ kind: 'document', file_id: f.id, name: file.name });
              if (target) open.add(target);
            }, t('docUploaded', { name: file.name }), 'doc-file');
          } })),
    );
  }

  function paint(focusId?: string): void {
    const me = ctx.me();
    if (!me) return;
    if (!subjectsAsked && me.user.role !== 'teacher') {
      void loadSubjects(me);
    }
    const opts = choices(me);
    if (!key && opts.length === 1) {
      key = opts[0][0];
      void load();
      return;
    }
    root.replaceChildren(
      h('div', { class: 'field' },
        h('label', { for: 'doc-teaching' }, t('fieldTeaching')),
        h('select', { id: 'doc-teaching', value: key, onChange: (ev: Event) => {
            key = (ev.target as HTMLSelectElement).value;
            list = null;
            open.clear();
            edit = null;
            target = 0;
            void load();
          } },
          h('option', { value: '' }, t('chooseTeaching')),
          opts.map(([k, label]) => h('option', { value: k }, label)))),
      h('section', { class: 'card', 'aria-labelledby': 'doc-heading' },
        h('h2', { id: 'doc-heading', tabindex: '-1' }, t('documents')),
        error ? h('p', { class: 'error', role: 'alert', id: 'doc-error', tabindex: '-1' }, error()) : '',
        notice ? h('p', { class: 'status-line' }, notice()) : '',
        !key ? h('p', { class: 'empty' }, t('docPick')) : loading && !list ? h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')) : '',
        list ? tree(0, list.may_write) : '',
        list?.may_write ? writeForms() : '',
      ),
    );
    if (focusId) document.getElementById(focusId)?.focus();
  }

  return {
    view(): HTMLElement {
      paint();
      return root;
    },
  };
}

export type Docs = ReturnType<typeof createDocs>;
