import type { HandIn } from '../api';
import { h } from '../dom';
import { formatWhen, t } from '../i18n';
import type { Actions, Detail } from '../state';
import { state } from '../state';
import { fileLinks, filePicker } from './files';
import { errorBox, fullName } from './shell';

const heading = (level: number, props: Record<string, string>, text: string) =>
  h(`h${Math.min(level, 6)}` as 'h4', props, text);

export const detailId = (hwId: number, pupilId: number | null) => `hw-detail-${hwId}-${pupilId ?? 0}`;

// The "Ouvrir" button of a homework in a day view; the detail opens right below it.
export function openButton(a: Actions, hwId: number, title: string, pupilId: number | null): HTMLElement {
  const d = state.detail;
  const open = !!d && d.hwId === hwId && d.pupilId === pupilId;
  return h(
    'button',
    {
      type: 'button',
      id: `hw-open-${hwId}-${pupilId ?? 0}`,
      class: 'small open',
      'aria-expanded': open ? 'true' : 'false',
      'aria-controls': detailId(hwId, pupilId),
      onClick: () => a.openHomework(hwId, pupilId),
    },
    open ? t('close') : t('open'),
    h('span', { class: 'sr-only' }, ` « ${title} »`),
  );
}

export function statusText(hi: HandIn | null): string {
  if (!hi) return t('notHandedIn');
  return t(hi.late ? 'handedInLate' : 'handedInAt', { when: formatWhen(hi.submitted_at) });
}

// A hand-in as its pupil, their parents or the teacher see it: text, files, mark and comment.
export function handInBody(hi: HandIn): HTMLElement[] {
  return [
    hi.text ? h('p', { class: 'hw-body answer' }, hi.text) : null,
    fileLinks(hi.files, t('attachments')),
    hi.mark ? h('p', { class: 'mark' }, t('markedAs', { mark: hi.mark })) : null,
    hi.mark && hi.comment ? h('p', { class: 'hw-body comment' }, t('teacherComment', { comment: hi.comment })) : null,
  ].filter((x): x is HTMLElement => x !== null);
}

// The opened homework: its instructions, the teacher's files, and the hand-in (a form for the pupil).
export function detailPanel(a: Actions, d: Detail, level: number): HTMLElement {
  const who = d.pupilId === null ? null : state.me?.children.find((c) => c.id === d.pupilId);
  const ans = d.answer;
  const hi = ans?.hand_in ?? null;
  const pupil = d.pupilId === null;
  const attachments = d.hw?.attachments ?? [];
  return h(
    'div',
    { class: 'detail', id: detailId(d.hwId, d.pupilId) },
    errorBox(d.error),
    !d.error && !ans && h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')),
    attachments.length > 0 && [heading(level, {}, t('attachments')), fileLinks(attachments, t('attachments'))],
    ans &&
      h(
        'section',
        { class: 'handin', 'aria-labelledby': 'handin-title' },
        heading(level, { id: 'handin-title' }, who ? t('childWork', { name: fullName(who) }) : t('myWork')),
        h(
          'p',
          { id: 'handin-state', tabindex: '-1', class: hi ? (hi.late ? 'state late' : 'state done') : 'state' },
          statusText(hi),
        ),
        hi && handInBody(hi),
        state.notice?.where === 'handin' && h('p', { class: 'status-line' }, state.notice.msg()),
        pupil && ans.may_hand_in && !hi?.mark
          ? handInForm(a, d, !!hi)
          : pupil && !hi && h('p', { class: 'empty' }, t('handInClosed')),
      ),
  );
}

function handInForm(a: Actions, d: Detail, replacing: boolean): HTMLElement {
  return h(
    'form',
    {
      class: 'form handin-form',
      novalidate: true,
      'aria-labelledby': 'handin-title',
      onSubmit: (ev: Event) => {
        ev.preventDefault();
        a.submitHandIn();
      },
    },
    errorBox(d.formError, 'handin-error'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'handin-text' }, t('fieldAnswer')),
      h('textarea', {
        id: 'handin-text',
        rows: '4',
        maxlength: '20000',
        value: d.text,
        onInput: (ev: Event) => a.handInText((ev.target as HTMLTextAreaElement).value),
      }),
    ),
    filePicker(a, 'handin', d.files, d.busy, t('fieldFiles')),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'submit', id: 'handin-submit', class: 'primary', 'aria-disabled': d.busy ? 'true' : undefined },
        d.busy ? t('sending') : replacing ? t('replaceHandIn') : t('handIn'),
      ),
    ),
  );
}
