import type { Evaluation, Report } from '../api';
import { h } from '../dom';
import { formatNumber, formatShort, t } from '../i18n';
import type { Actions, Report1 } from '../state';
import { state } from '../state';
import { errorBox, fullName } from './shell';
import { teachingKey } from './teacher';

const heading = (level: number, props: Record<string, string>, text: string) =>
  h(`h${Math.min(level, 6)}` as 'h2', props, text);
const avg = (n: number | null | undefined) => (n == null ? t('noAverage') : `${formatNumber(n)}/20`);

export function gradesView(a: Actions): HTMLElement[] {
  const me = state.me!;
  const head = h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, t('grades')));
  if (me.user.role === 'teacher') return [head, ...teacherGrades(a)];
  if (me.user.role === 'pupil') return [head, ...report(state.reports[0], 2, 'rep')];
  if (!me.children.length) return [head, h('p', { class: 'empty' }, t('noChildren'))];
  return [
    head,
    ...me.children.map((ch) =>
      h(
        'section',
        { class: 'child', 'aria-labelledby': `grades-${ch.id}` },
        h('h2', { id: `grades-${ch.id}`, class: 'child-name' }, fullName(ch)),
        report(state.reports[ch.id], 3, `rep-${ch.id}`),
      ),
    ),
  ];
}

// A pupil's report: the overall average, then a card per subject with its marks.
function report(slot: Report1 | undefined, level: number, idPrefix: string): HTMLElement[] {
  if (slot?.error) return [errorBox(slot.error)!];
  const r: Report | null | undefined = slot?.data;
  if (!r) return [h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading'))];
  if (!r.subjects.length) return [h('p', { class: 'empty' }, t('noGrades'))];
  return [
    h('p', { class: 'overall' }, t('overallAverage', { avg: avg(r.average) })),
    ...r.subjects.map((s, i) =>
      h(
        'section',
        { class: 'card subject-card', 'aria-labelledby': `${idPrefix}-${i}` },
        h(
          'div',
          { class: 'page-head' },
          heading(level, { id: `${idPrefix}-${i}` }, s.subject.name),
          h('p', { class: 'avg' }, t('average', { avg: avg(s.average) })),
        ),
        h(
          'table',
          { class: 'grades', 'aria-labelledby': `${idPrefix}-${i}` },
          h('thead', null, h('tr', null, ...[t('colEvaluation'), t('colDate'), t('colCoef'), t('colMark')].map((x) => h('th', { scope: 'col' }, x)))),
          h(
            'tbody',
            null,
            s.evaluations.map((ev) =>
              h(
                'tr',
                null,
                h('td', null, ev.title, ev.mark?.comment && h('span', { class: 'meta block' }, ev.mark.comment)),
                h('td', { class: 'nb' }, formatShort(ev.date)),
                h('td', { class: 'num' }, formatNumber(ev.coefficient)),
                h('td', { class: 'num mark-cell' }, markText(ev, ev.mark)),
              ),
            ),
          ),
        ),
      ),
    ),
  ];
}

function markText(ev: Evaluation, m: { state: string | null; value: number | null } | null): string {
  if (!m || !m.state) return t('noMark');
  if (m.state === 'absent') return t('absent');
  if (m.state === 'excused') return t('excused');
  return t('outOf', { value: formatNumber(m.value ?? 0), out: formatNumber(ev.out_of) });
}

// --- Teacher: evaluations of one class and subject, a new one, and the marks of the class.

function teacherGrades(a: Actions): HTMLElement[] {
  const me = state.me!;
  const tg = state.tgrades;
  if (!me.teaching.length) return [h('p', { class: 'empty' }, t('noTeaching'))];
  const [classId, subjectId] = tg.teaching.split(':');
  const list = tg.list;
  return [
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ev-heading' },
      h('h2', { id: 'ev-heading' }, t('evaluations')),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'tg-teaching' }, t('fieldTeaching')),
        h(
          'select',
          { id: 'tg-teaching', value: tg.teaching, onChange: (ev: Event) => a.gradesTeaching((ev.target as HTMLSelectElement).value) },
          me.teaching.map((tc) =>
            h('option', { value: teachingKey(tc.class.id, tc.subject.id) }, `${tc.class.name} — ${tc.subject.name}`),
          ),
        ),
      ),
      tg.teaching &&
        h(
          'p',
          { class: 'export' },
          h(
            'a',
            { href: `/api/evaluations/export.csv?class_id=${encodeURIComponent(classId)}&subject_id=${encodeURIComponent(subjectId)}`, download: '' },
            t('exportCsv'),
          ),
        ),
      errorBox(tg.error),
      list === null
        ? !tg.error && h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading'))
        : list.length
          ? h(
              'ul',
              { class: 'ev-list', 'aria-labelledby': 'ev-heading' },
              list.map((ev) =>
                h(
                  'li',
                  { class: 'ev' },
                  h(
                    'p',
                    null,
                    h('span', { class: 'subject' }, ev.title),
                    h(
                      'span',
                      { class: 'meta block' },
                      t('evMeta', {
                        date: formatShort(ev.date),
                        out: formatNumber(ev.out_of),
                        coef: formatNumber(ev.coefficient),
                        avg: ev.class_average == null ? t('noMark') : formatNumber(ev.class_average),
                      }),
                    ),
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'small',
                      id: `ev-open-${ev.id}`,
                      'aria-expanded': tg.open?.id === ev.id ? 'true' : 'false',
                      onClick: () => a.openEvaluation(ev.id),
                    },
                    t('enterMarks'),
                    h('span', { class: 'sr-only' }, ` « ${ev.title} »`),
                  ),
                ),
              ),
            )
          : h('p', { class: 'empty' }, t('noEvaluations')),
    ),
    tg.open && marksForm(a, tg.open),
    newEvaluationForm(a),
  ].filter((x): x is HTMLElement => !!x);
}

function marksForm(a: Actions, ev: Evaluation): HTMLElement {
  const tg = state.tgrades;
  const stateLabels = { graded: t('graded'), absent: t('absent'), excused: t('excused') };
  return h(
    'form',
    {
      class: 'card form',
      id: 'marks-form',
      novalidate: true,
      'aria-labelledby': 'marks-title',
      onSubmit: (e: Event) => {
        e.preventDefault();
        a.saveMarks();
      },
    },
    h('h2', { id: 'marks-title', tabindex: '-1' }, t('marksOf', { title: ev.title, out: formatNumber(ev.out_of) })),
    errorBox(tg.marksError, 'marks-error'),
    h(
      'ul',
      { class: 'mark-rows' },
      (ev.marks ?? []).map((m) => {
        const id = m.pupil.id;
        const row = tg.rows[id];
        const name = fullName(m.pupil);
        const err = tg.rowErrors[id];
        return h(
          'li',
          { class: err ? 'mark-row invalid' : 'mark-row', 'data-pupil-id': String(id) },
          h('span', { class: 'subject', id: `mk-name-${id}` }, name),
          h(
            'select',
            {
              id: `mk-state-${id}`,
              'aria-label': t('stateOf', { name }),
              value: row.state,
              onChange: (e: Event) => a.rowInput(id, 'state', (e.target as HTMLSelectElement).value),
            },
            (['graded', 'absent', 'excused'] as const).map((s) => h('option', { value: s }, stateLabels[s])),
          ),
          h('input', {
            id: `mk-value-${id}`,
            type: 'text',
            inputmode: 'decimal',
            autocomplete: 'off',
            class: 'mark-value',
            'aria-label': t('markOf', { name }),
            'aria-invalid': err ? 'true' : undefined,
            'aria-describedby': err ? `mk-error-${id}` : undefined,
            disabled: row.state !== 'graded',
            value: row.state === 'graded' ? row.value : '',
            onInput: (e: Event) => a.rowInput(id, 'value', (e.target as HTMLInputElement).value),
          }),
          h('input', {
            id: `mk-comment-${id}`,
            type: 'text',
            maxlength: '500',
            autocomplete: 'off',
            'aria-label': t('commentOf', { name }),
            placeholder: t('fieldComment'),
            value: row.comment,
            onInput: (e: Event) => a.rowInput(id, 'comment', (e.target as HTMLInputElement).value),
          }),
          err && h('p', { class: 'field-error', id: `mk-error-${id}` }, err),
        );
      }),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'submit', id: 'marks-save', class: 'primary', 'aria-disabled': tg.busy ? 'true' : undefined },
        tg.busy ? t('saving') : t('saveMarks'),
      ),
      h('button', { type: 'button', id: 'marks-close', onClick: () => a.openEvaluation(null) }, t('close')),
    ),
    state.notice?.where === 'marks' && h('p', { class: 'status-line' }, state.notice.msg()),
  );
}

function newEvaluationForm(a: Actions): HTMLElement {
  const f = state.tgrades.form;
  const input = (name: 'title' | 'date' | 'out_of' | 'coefficient', label: string, type: string, extra: Record<string, string> = {}) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `ev-${name}` }, label),
      h('input', {
        id: `ev-${name}`,
        type,
        autocomplete: 'off',
        value: f[name],
        ...extra,
        onInput: (e: Event) => a.evalInput(name, (e.target as HTMLInputElement).value),
      }),
    );
  if (!f.date && state.today) f.date = state.today.today;
  return h(
    'form',
    {
      class: 'card form',
      id: 'ev-form',
      novalidate: true,
      'aria-labelledby': 'ev-form-title',
      onSubmit: (e: Event) => {
        e.preventDefault();
        a.createEvaluation();
      },
    },
    h('h2', { id: 'ev-form-title' }, t('newEvaluation')),
    errorBox(f.error, 'ev-error'),
    input('title', t('fieldTitle'), 'text', { maxlength: '200' }),
    h(
      'div',
      { class: 'row3' },
      input('date', t('fieldDate'), 'date'),
      input('out_of', t('fieldOutOf'), 'text', { inputmode: 'decimal' }),
      input('coefficient', t('fieldCoefficient'), 'text', { inputmode: 'decimal' }),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'ev-submit', class: 'primary', 'aria-disabled': f.busy ? 'true' : undefined }, f.busy ? t('saving') : t('create')),
    ),
    state.notice?.where === 'eval' && h('p', { class: 'status-line' }, state.notice.msg()),
  );
}
