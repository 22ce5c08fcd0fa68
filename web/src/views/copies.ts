import type { CopyStatus } from '../api';
import { h } from '../dom';
import { formatWhen, t, type Key } from '../i18n';
import type { Actions, CopiesView } from '../state';
import { state } from '../state';
import { handInBody } from './handin';
import { errorBox, fullName } from './shell';

const statusKey: Record<CopyStatus, Key> = { handed_in: 'statusHandedIn', late: 'statusLate', missing: 'statusMissing' };

// The teacher's view of one homework's hand-ins: counts, the ZIP, and a mark form per hand-in.
export function copiesPanel(a: Actions, v: CopiesView, title: string): HTMLElement {
  const data = v.data;
  const c = data?.counts;
  return h(
    'section',
    { class: 'copies', id: `copies-${v.hwId}`, 'aria-labelledby': `copies-title-${v.hwId}` },
    h('h4', { id: `copies-title-${v.hwId}`, tabindex: '-1' }, t('copiesOf', { title })),
    errorBox(v.error),
    !data && !v.error && h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')),
    c &&
      h(
        'p',
        { class: 'counts' },
        t('copiesCounts', { handed: c.handed_in, late: c.late, missing: c.missing, marked: c.marked, pupils: c.pupils }),
      ),
    data &&
      c!.handed_in > 0 && // late ones included
      h('p', null, h('a', { href: `/api/homework/${encodeURIComponent(v.hwId)}/hand-ins.zip`, download: '', id: `zip-${v.hwId}` }, t('downloadZip'))),
    data && !data.pupils.length && h('p', { class: 'empty' }, t('noPupils')),
    data &&
      h(
        'ul',
        { class: 'copy-list' },
        data.pupils.map((p) => {
          const hi = p.hand_in;
          const draft = hi ? v.drafts[hi.id] : undefined;
          const name = fullName(p.pupil);
          return h(
            'li',
            { class: `copy ${p.status}`, 'data-pupil-id': String(p.pupil.id) },
            h(
              'p',
              { class: 'copy-head' },
              h('span', { class: 'subject' }, name),
              h('span', { class: `badge ${p.status}` }, t(statusKey[p.status])),
            ),
            hi && h('p', { class: 'meta' }, formatWhen(hi.submitted_at)),
            hi && handInBody(hi),
            hi && draft && markForm(a, hi.id, name, draft),
          );
        }),
      ),
  );
}

function markForm(a: Actions, id: number, name: string, d: CopiesView['drafts'][number]): HTMLElement {
  const errId = `mark-${id}-error`;
  return h(
    'form',
    {
      class: 'mark-form',
      novalidate: true,
      'aria-label': t('markOf', { name }),
      onSubmit: (ev: Event) => {
        ev.preventDefault();
        a.submitMark(id);
      },
    },
    h(
      'div',
      { class: 'field mark-field' },
      h('label', { for: `mark-${id}` }, t('fieldMark')),
      h('input', {
        id: `mark-${id}`,
        type: 'text',
        maxlength: '20',
        autocomplete: 'off',
        value: d.mark,
        'aria-invalid': d.error ? 'true' : undefined,
        'aria-describedby': d.error ? errId : undefined,
        onInput: (ev: Event) => a.markInput(id, 'mark', (ev.target as HTMLInputElement).value),
      }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: `comment-${id}` }, t('fieldComment')),
      h('textarea', {
        id: `comment-${id}`,
        rows: '2',
        maxlength: '2000',
        value: d.comment,
        onInput: (ev: Event) => a.markInput(id, 'comment', (ev.target as HTMLTextAreaElement).value),
      }),
    ),
    d.error && h('p', { class: 'field-error', id: errId, role: 'alert' }, d.error()),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'submit', id: `mark-save-${id}`, class: 'primary small', 'aria-disabled': d.busy ? 'true' : undefined },
        d.busy ? t('saving') : t('saveMark'),
      ),
      state.notice?.where === `mark-${id}` && h('span', { class: 'status-line' }, state.notice.msg()),
    ),
  );
}
