import type { Homework, Lesson, Section, Today } from '../api';
import { h } from '../dom';
import { addDays, formatClock, formatDay, formatWhen, parseDate, t } from '../i18n';
import type { Actions } from '../state';
import { state } from '../state';
import { detailPanel, openButton } from './handin';
import { errorBox, fullName } from './shell';

type Level = 2 | 3;
const heading = (level: number, props: Record<string, string>, text: string) =>
  h(`h${Math.min(level, 6)}` as 'h2', props, text);

function refYear(today: Today): number {
  return parseDate(today.today).getUTCFullYear();
}

// The page title block: "Aujourd'hui", the day shown, and why it is not today when shifted.
export function dayIntro(a: Actions): HTMLElement[] {
  const td = state.today;
  const out: HTMLElement[] = [
    h(
      'div',
      { class: 'page-head' },
      h('h1', { id: 'page-title', tabindex: '-1' }, t('today')),
      h(
        'button',
        {
          type: 'button',
          id: 'refresh',
          class: 'ghost small',
          'aria-disabled': state.todayLoading ? 'true' : undefined,
          onClick: () => a.refresh(),
        },
        t('refresh'),
      ),
    ),
  ];
  if (td) {
    const date = formatDay(td.date, refYear(td));
    if (td.shifted) {
      const text =
        td.shift_reason === 'weekend'
          ? t('shiftedWeekend', { date })
          : td.shift_reason === 'holiday'
            ? t('shiftedHoliday', { date, holiday: td.holiday || t('holidayFallback') })
            : t('shiftedOther', { date });
      out.push(h('p', { class: 'notice shifted', id: 'day-shift' }, text));
    } else {
      out.push(h('p', { class: 'date', id: 'day-date' }, date));
    }
    const copy = copyBanner(td);
    if (copy) out.push(copy);
  }
  const news = td?.announcements ?? [];
  if (td && news.length) {
    out.push(
      h(
        'section',
        { class: 'card announcements', 'aria-labelledby': 'announcements-title' },
        h('h2', { id: 'announcements-title' }, t('announcements')),
        h(
          'ul',
          { class: 'news-list' },
          news.map((n) =>
            h(
              'li',
              { class: 'news-item', 'data-announcement-id': String(n.id) },
              h('p', { class: 'news-title' }, n.title),
              n.body && h('p', { class: 'news-body' }, n.body),
              h(
                'p',
                { class: 'news-meta' },
                t('announcementBy', { name: fullName(n.author), date: formatDay(n.until, refYear(td)) }),
              ),
            ),
          ),
        ),
      ),
    );
  }
  const err = errorBox(state.todayError);
  if (err) out.push(err);
  if (!td && !state.todayError) out.push(h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')));
  return out;
}

// The day shown is a copy: the service worker's (no network, or the server failing) or the server's
// own last view (its store failing, `stale`). Either way, when it was taken; the app retries meanwhile.
function takenWhen(td: Today): string | null {
  return state.offline !== null ? state.offline : td.stale ? (td.as_of ?? '') : null;
}

// "Hors ligne — copie du jour prise à 07:52" (the day before: "… prise le lundi 23 novembre à 17:10").
export function copyNotice(td: Today): string | null {
  const when = takenWhen(td);
  if (when === null) return null;
  const d = new Date(when);
  const taken = Number.isNaN(d.getTime())
    ? ''
    : d.toDateString() === new Date().toDateString()
      ? t('takenAt', { time: formatClock(d) })
      : t('takenOn', { when: formatWhen(when) });
  return t(state.offline !== null ? 'dayOffline' : 'dayStale', { when: taken }).trim();
}

function copyBanner(td: Today): HTMLElement | null {
  const text = copyNotice(td);
  return text === null ? null : h('p', { class: 'notice copy', id: 'day-copy', 'data-taken-at': takenWhen(td) ?? '' }, text);
}

export function lessonList(lessons: Lesson[], forTeacher: boolean): HTMLElement {
  if (!lessons.length) return h('p', { class: 'empty' }, t('noLessons'));
  const sorted = [...lessons].sort((x, y) => x.start.localeCompare(y.start));
  return h(
    'ol',
    { class: 'lessons' },
    sorted.map((l) =>
      h(
        'li',
        { class: 'lesson' },
        h('span', { class: 'time' }, t('lessonTime', { start: l.start, end: l.end })),
        h(
          'span',
          { class: 'what' },
          h('span', { class: 'subject' }, forTeacher ? `${l.class.name} · ${l.subject.name}` : l.subject.name),
          h(
            'span',
            { class: 'meta' },
            [forTeacher ? null : fullName(l.teacher), l.room ? t('room', { room: l.room }) : null]
              .filter((x): x is string => Boolean(x))
              .map((x, i) => [i ? ' · ' : '', h('span', { class: 'nb' }, x)]),
          ),
        ),
      ),
    ),
  );
}

// Homework grouped by due date, soonest first; each opens on its detail and hand-in.
export function homeworkGroups(items: Homework[], today: Today, level: number, a: Actions, pupilId: number | null): HTMLElement {
  if (!items.length) return h('p', { class: 'empty' }, t('noHomeworkDue'));
  const byDate = new Map<string, Homework[]>();
  for (const hw of [...items].sort((x, y) => x.due_date.localeCompare(y.due_date) || x.id - y.id)) {
    const list = byDate.get(hw.due_date) ?? [];
    list.push(hw);
    byDate.set(hw.due_date, list);
  }
  const tomorrow = addDays(today.today, 1);
  return h(
    'div',
    { class: 'hw-groups' },
    [...byDate].map(([date, list]) => {
      const rel = date === today.today ? ` ${t('dueToday')}` : date === tomorrow ? ` ${t('dueTomorrow')}` : '';
      return h(
        'div',
        { class: 'hw-group' },
        heading(level, { class: 'hw-date' }, t('dueOn', { date: formatDay(date, refYear(today)) }) + rel),
        h(
          'ul',
          { class: 'hw-list' },
          list.map((hw) =>
            h(
              'li',
              { class: 'hw-item', 'data-homework-id': String(hw.id) },
              h('p', { class: 'hw-subject' }, hw.subject.name),
              h('p', { class: 'hw-title' }, hw.title),
              hw.body && h('p', { class: 'hw-body' }, hw.body),
              h('div', { class: 'actions' }, openButton(a, hw.id, hw.title, pupilId)),
              state.detail?.hwId === hw.id && state.detail.pupilId === pupilId && detailPanel(a, state.detail, level + 1),
            ),
          ),
        ),
      );
    }),
  );
}

// One person's day: timetable then homework. `level` is the level of the two section headings.
export function sectionBody(sec: Section, today: Today, level: Level, idPrefix: string, a: Actions): HTMLElement[] {
  return [
    h(
      'section',
      { class: 'card', 'aria-labelledby': `${idPrefix}-tt` },
      heading(level, { id: `${idPrefix}-tt` }, t('timetable')),
      lessonList(sec.lessons, false),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': `${idPrefix}-hw` },
      heading(level, { id: `${idPrefix}-hw` }, t('homeworkDue')),
      homeworkGroups(sec.homework, today, level + 1, a, sec.kind === 'child' ? sec.person.id : null),
    ),
  ];
}

export function pupilDay(a: Actions): HTMLElement[] {
  const td = state.today;
  if (!td) return [];
  const sec = td.sections[0];
  if (!sec) return [h('p', { class: 'empty' }, t('noLessons'))];
  const cls = state.me?.user.class;
  return [
    ...sectionBody(sec, td, 2, 'day', a),
    cls &&
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'day-live-join', onClick: () => a.live(cls.id, false) }, t('liveJoin'))),
  ].filter((x): x is HTMLElement => !!x);
}

export function parentDay(a: Actions): HTMLElement[] {
  const td = state.today;
  if (!td) return [];
  const children = td.sections.filter((s) => s.kind === 'child');
  if (!children.length) return [h('p', { class: 'empty' }, t('noChildren'))];
  return children.map((sec) => {
    const id = `child-${sec.person.id}`;
    return h(
      'section',
      { class: 'child', 'aria-labelledby': id },
      h(
        'h2',
        { id, class: 'child-name' },
        fullName(sec.person),
        sec.class && h('span', { class: 'child-class' }, ` · ${sec.class.name}`),
      ),
      sectionBody(sec, td, 3, id, a),
    );
  });
}
