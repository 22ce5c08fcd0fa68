import { h } from '../dom';
import { t } from '../i18n';
import type { Actions } from '../state';
import { state } from '../state';
import { errorBox } from './shell';

// The iCal feed: its secret URL (absolute, for calendar apps), a copy button, and a reset.
export function calendarView(a: Actions): HTMLElement[] {
  const cal = state.calendar;
  return [
    h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: '-1' }, t('agenda'))),
    h(
      'section',
      { class: 'card form', 'aria-labelledby': 'page-title' },
      h('p', null, t('calendarIntro')),
      h('p', { class: 'notice', id: 'cal-secret' }, t('calendarSecret')),
      errorBox(cal.error),
      cal.url
        ? [
            h(
              'div',
              { class: 'field' },
              h('label', { for: 'cal-url' }, t('calendarUrl')),
              h('input', {
                id: 'cal-url',
                type: 'text',
                readonly: true,
                spellcheck: 'false',
                'aria-describedby': 'cal-secret',
                value: location.origin + cal.url,
                onFocus: (ev: Event) => (ev.target as HTMLInputElement).select(),
              }),
            ),
            h(
              'div',
              { class: 'actions' },
              h('button', { type: 'button', id: 'cal-copy', class: 'primary', onClick: () => a.copyCalendar() }, t('copyLink')),
              !cal.confirm &&
                h('button', { type: 'button', id: 'cal-reset', class: 'danger-ghost', onClick: () => a.resetCalendar('ask') }, t('resetLink')),
            ),
            cal.confirm &&
              h(
                'div',
                { class: 'confirm', role: 'group', 'aria-labelledby': 'cal-confirm-text' },
                h('p', { id: 'cal-confirm-text' }, t('resetConfirm')),
                h(
                  'div',
                  { class: 'actions' },
                  h(
                    'button',
                    { type: 'button', id: 'cal-reset-yes', class: 'danger', 'aria-disabled': cal.busy ? 'true' : undefined, onClick: () => a.resetCalendar('confirm') },
                    t('resetYes'),
                  ),
                  h('button', { type: 'button', id: 'cal-reset-no', onClick: () => a.resetCalendar('cancel') }, t('cancel')),
                ),
              ),
          ]
        : !cal.error && h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')),
      state.notice?.where === 'calendar' && h('p', { class: 'status-line' }, state.notice.msg()),
    ),
  ];
}
