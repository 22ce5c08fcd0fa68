import type { Homework } from '../api';
import { h } from '../dom';
import { formatDay, parseDate, t } from '../i18n';
import type { Actions, FieldName } from '../state';
import { state } from '../state';
import { copiesPanel } from './copies';
import { lessonList } from './day';
import { filePicker } from './files';
import { errorBox } from './shell';

export function teachingKey(classId: number, subjectId: number): string {
  return `${classId}:${subjectId}`;
}

function refYear(): number | undefined {
  return state.today ? parseDate(state.today.today).getUTCFullYear() : undefined;
}

export function teacherLessons(a: Actions): HTMLElement | null {
  const td = state.today;
  if (!td) return null;
  const lessons = td.sections.filter((s) => s.kind === 'teacher').flatMap((s) => s.lessons);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'my-lessons' },
    h('h2', { id: 'my-lessons' }, t('myLessons')),
    lessonList(lessons, true),
    liveButtons(a),
  );
}

// One "start the live lesson" per class taught (a class taught in two subjects appears once).
function liveButtons(a: Actions): HTMLElement | null {
  const classes = [...new Map(state.me!.teaching.map((x) => [x.class.id, x.class])).values()];
  if (!classes.length) return null;
  return h(
    'div',
    { class: 'actions live-starts' },
    classes.map((c) =>
      h('button', { type: 'button', id: `day-live-${c.id}`, class: 'small', onClick: () => a.live(c.id, true) },
        t('liveStart'), h('span', { class: 'sr-only' }, ` ${c.name}`), h('span', { 'aria-hidden': 'true' }, ` · ${c.name}`)),
    ),
  );
}

function field(
  name: FieldName,
  label: string,
  control: (attrs: Record<string, string | undefined>) => HTMLElement,
): HTMLElement {
  const err = state.editor.errors[name];
  const id = `hw-${name}`;
  const errId = `${id}-error`;
  return h(
    'div',
    { class: err ? 'field invalid' : 'field' },
    h('label', { for: id }, label),
    control({ id, name, 'aria-invalid': err ? 'true' : undefined, 'aria-describedby': err ? errId : undefined }),
    err && h('p', { class: 'field-error', id: errId }, err()),
  );
}

function editorForm(a: Actions): HTMLElement {
  const me = state.me!;
  const ed = state.editor;
  const editing = ed.id !== null;
  const minDue = state.today?.today;
  return h(
    'form',
    {
      id: 'hw-form',
      class: 'form editor',
      novalidate: true,
      'aria-labelledby': 'hw-form-title',
      onSubmit: (ev: Event) => {
        ev.preventDefault();
        a.submitEditor();
      },
    },
    h('h3', { id: 'hw-form-title', tabindex: '-1' }, editing ? t('editHomework') : t('newHomework')),
    errorBox(ed.errors.form ?? null, 'hw-form-error'),
    field('teaching', t('fieldTeaching'), (attrs) =>
      h(
        'select',
        {
          ...attrs,
          required: true,
          value: ed.teaching,
          onChange: (ev: Event) => a.editorInput('teaching', (ev.target as HTMLSelectElement).value),
        },
        h('option', { value: '' }, t('chooseTeaching')),
        me.teaching.map((tc) =>
          h(
            'option',
            { value: teachingKey(tc.class.id, tc.subject.id) },
            `${tc.class.name} — ${tc.subject.name}`,
          ),
        ),
      ),
    ),
    field('title', t('fieldTitle'), (attrs) =>
      h('input', {
        ...attrs,
        type: 'text',
        required: true,
        maxlength: '200',
        autocomplete: 'off',
        value: ed.title,
        onInput: (ev: Event) => a.editorInput('title', (ev.target as HTMLInputElement).value),
      }),
    ),
    field('body', t('fieldBody'), (attrs) =>
      h('textarea', {
        ...attrs,
        rows: '4',
        maxlength: '5000',
        value: ed.body,
        onInput: (ev: Event) => a.editorInput('body', (ev.target as HTMLTextAreaElement).value),
      }),
    ),
    field('due_date', t('fieldDue'), (attrs) =>
      h('input', {
        ...attrs,
        type: 'date',
        required: true,
        min: minDue,
        value: ed.due,
        onInput: (ev: Event) => a.editorInput('due', (ev.target as HTMLInputElement).value),
      }),
    ),
    filePicker(a, 'editor', ed.files, ed.busy, t('attachments')),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'submit', id: 'hw-submit', class: 'primary', 'aria-disabled': ed.busy ? 'true' : undefined },
        ed.busy ? t('saving') : editing ? t('save') : t('publish'),
      ),
      editing && h('button', { type: 'button', id: 'hw-cancel', onClick: () => a.cancelEdit() }, t('cancel')),
    ),
  );
}

function homeworkRow(a: Actions, hw: Homework): HTMLElement {
  const confirming = state.confirmDeleteId === hw.id;
  const hidden = (s: string) => h('span', { class: 'sr-only' }, ` « ${s} »`);
  return h(
    'li',
    { class: 'hw-item', 'data-homework-id': String(hw.id) },
    h(
      'p',
      { class: 'hw-meta' },
      `${formatDay(hw.due_date, refYear())} · ${hw.class.name} · ${hw.subject.name}`,
    ),
    h('p', { class: 'hw-title' }, hw.title),
    hw.body && h('p', { class: 'hw-body' }, hw.body),
    confirming
      ? h(
          'div',
          { class: 'confirm', role: 'group', 'aria-labelledby': `hw-confirm-text-${hw.id}` },
          h('p', { id: `hw-confirm-text-${hw.id}` }, t('confirmDelete', { title: hw.title })),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                id: `hw-confirm-${hw.id}`,
                class: 'danger',
                'aria-disabled': state.rowBusyId === hw.id ? 'true' : undefined,
                onClick: () => a.confirmDelete(hw.id),
              },
              t('confirmDeleteButton'),
            ),
            h('button', { type: 'button', id: `hw-keep-${hw.id}`, onClick: () => a.cancelDelete() }, t('cancel')),
          ),
        )
      : h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              id: `hw-copies-${hw.id}`,
              'aria-expanded': state.copies?.hwId === hw.id ? 'true' : 'false',
              'aria-controls': `copies-${hw.id}`,
              onClick: () => a.openCopies(hw.id),
            },
            t('copies'),
            hidden(hw.title),
          ),
          h(
            'button',
            { type: 'button', id: `hw-edit-${hw.id}`, onClick: () => a.startEdit(hw.id) },
            t('edit'),
            hidden(hw.title),
          ),
          h(
            'button',
            { type: 'button', id: `hw-delete-${hw.id}`, class: 'danger-ghost', onClick: () => a.askDelete(hw.id) },
            t('delete'),
            hidden(hw.title),
          ),
        ),
    state.copies?.hwId === hw.id && copiesPanel(a, state.copies, hw.title),
  );
}

export function homeworkEditor(a: Actions): HTMLElement {
  const me = state.me!;
  const mine = state.mine;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'hw-heading' },
    h('h2', { id: 'hw-heading' }, t('homework')),
    me.teaching.length ? editorForm(a) : h('p', { class: 'empty' }, t('noTeaching')),
    state.status && h('p', { class: 'status-line' }, state.status()),
    h('h3', { id: 'hw-list-heading', tabindex: '-1' }, t('homeworkSet')),
    errorBox(state.mineError),
    mine === null
      ? !state.mineError && h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading'))
      : mine.length
        ? h('ul', { class: 'hw-list editable', id: 'hw-mine' }, mine.map((hw) => homeworkRow(a, hw)))
        : h('p', { class: 'empty' }, t('noHomeworkSet')),
  );
}
