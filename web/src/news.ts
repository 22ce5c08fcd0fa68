// "Publier une annonce" (lazy chunk): teachers announce to classes they teach, staff and
// administrators to the whole school (no route lists a school's classes yet); both delete what they
// may (docs/api.md, "Announcements"). The day view shows the result once `refresh` reloads it.
import { ApiError, type Announcement, type Me, type Ref, request } from './api';
import { h, loadOnFirstView, repaint } from './dom';
import { errorText, isUnauthenticated } from './errors';
import { addDays, formatDay, isoDate, t } from './i18n';
import type { Msg } from './state';
import { errorBox, fullName } from './views/shell';

type Item = Announcement & { classes: Ref[] };
export interface NewsCtx {
  me(): Me | null;
  today(): string | null; // the school's date, from the day view
  announce(text: string): void;
  expired(): void;
  refresh(): void; // reload the day view
  close: (() => void) | null; // teachers fold the panel away; staff keep it
}

const DEFAULT_DAYS = 14; // the server's default, shown so that it can be changed

export function createNews(ctx: NewsCtx) {
  let items: Item[] | null = null;
  let listError: Msg | null = null;
  let notice: Msg | null = null;
  let formError: Msg | null = null;
  let invalid: Partial<Record<'title' | 'until' | 'classes', Msg>> = {};
  let confirmId = 0;
  let busy = false;
  let title = '';
  let body = '';
  let until = '';
  const picked = new Set<number>();
  const root = h('section', { class: 'card news-panel', id: 'ann-panel', 'aria-labelledby': 'ann-heading' });

  const me = () => ctx.me()!;
  const staff = () => me().user.role === 'staff' || me().user.role === 'admin';
  const today = () => ctx.today() ?? isoDate(new Date());
  // The classes taught, each once (a class taught in two subjects is one class).
  const classes = (): Ref[] => [...new Map(me().teaching.map((x) => [x.class.id, x.class])).values()];
  if (classes().length === 1) picked.add(classes()[0].id);

  function fail(e: unknown): Msg | null {
    if (isUnauthenticated(e)) {
      ctx.expired();
      return null;
    }
    return () => errorText(e);
  }

  async function load(): Promise<void> {
    try {
      const r = await request<{ announcements: Item[] }>('GET', '/api/announcements');
      // What this person may delete: their own; staff, everything of their school.
      items = (r.data?.announcements ?? []).filter((a) => staff() || a.author.id === me().user.id);
      listError = null;
    } catch (e) {
      listError = fail(e);
    }
  }

  async function change(work: () => Promise<unknown>, done: string, focus: string): Promise<void> {
    if (busy) return;
    busy = true;
    notice = formError = listError = null;
    paint();
    try {
      await work();
      notice = () => done;
      ctx.announce(done);
      ctx.refresh();
      confirmId = 0;
    } catch (e) {
      const msg = fail(e);
      if (e instanceof ApiError && e.status === 400) formError = () => t('annErrInvalid') + ' ' + Object.values(e.fields).join(' ; ');
      else if (confirmId) listError = msg;
      else formError = msg;
      focus = confirmId ? `ann-confirm-${confirmId}` : 'ann-error';
    }
    busy = false;
    await load();
    paint(focus);
  }

  function submit(): void {
    invalid = {};
    if (!title.trim()) invalid.title = () => t('errRequired');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until || addDays(today(), DEFAULT_DAYS))) invalid.until = () => t('errDate');
    if (!staff() && !picked.size) invalid.classes = () => t('annErrClass');
    const first = (['title', 'until', 'classes'] as const).find((k) => invalid[k]);
    if (first) {
      formError = () => t('annErrInvalid');
      return paint(first === 'classes' ? `ann-class-${classes()[0]?.id}` : `ann-${first}`);
    }
    const input = { title: title.trim(), body, until: until || addDays(today(), DEFAULT_DAYS), class_ids: staff() ? [] : [...picked] };
    const post = async () => {
      await request('POST', '/api/announcements', input);
      title = body = until = '';
    };
    void change(post, t('annPosted'), 'ann-title');
  }

  function field(name: 'title' | 'until', label: string, control: HTMLElement): HTMLElement {
    const err = invalid[name];
    if (err) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', `ann-${name}-error`);
    }
    return h('div', { class: err ? 'field invalid' : 'field' }, h('label', { for: `ann-${name}` }, label), control,
      err && h('p', { class: 'field-error', id: `ann-${name}-error` }, err()));
  }

  function form(): HTMLElement {
    const value = (ev: Event) => (ev.target as HTMLInputElement).value;
    const err = invalid.classes;
    return h('form', { id: 'ann-form', class: 'form', novalidate: true, 'aria-labelledby': 'ann-heading', onSubmit: (ev: Event) => (ev.preventDefault(), submit()) },
      errorBox(formError, 'ann-error'),
      field('title', t('fieldTitle'), h('input', { id: 'ann-title', type: 'text', maxlength: '200', autocomplete: 'off', value: title, onInput: (ev: Event) => (title = value(ev)) })),
      h('div', { class: 'field' }, h('label', { for: 'ann-body' }, t('annBody')),
        h('textarea', { id: 'ann-body', rows: '3', maxlength: '5000', value: body, onInput: (ev: Event) => (body = value(ev)) })),
      field('until', t('annUntil'), h('input', { id: 'ann-until', type: 'date', min: today(), max: addDays(today(), 365), value: until || addDays(today(), DEFAULT_DAYS), onInput: (ev: Event) => (until = value(ev)) })),
      staff()
        ? h('p', { class: 'notice' }, t('annSchoolWide'))
        : h('fieldset', { class: err ? 'classes invalid' : 'classes', 'aria-describedby': err ? 'ann-classes-error' : undefined },
            h('legend', null, t('annClasses')),
            classes().map((c) => h('div', { class: 'check' },
              h('input', { type: 'checkbox', id: `ann-class-${c.id}`, checked: picked.has(c.id),
                onChange: (ev: Event) => ((ev.target as HTMLInputElement).checked ? picked.add(c.id) : picked.delete(c.id)) }),
              h('label', { for: `ann-class-${c.id}` }, c.name))),
            err && h('p', { class: 'field-error', id: 'ann-classes-error' }, err())),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'ann-submit', class: 'primary', 'aria-disabled': busy ? 'true' : undefined }, busy ? t('sending') : t('annPublish')),
        ctx.close && h('button', { type: 'button', id: 'ann-close', onClick: ctx.close }, t('close'))),
      notice && h('p', { class: 'status-line' }, notice()));
  }

  function list(): HTMLElement {
    const year = Number(today().slice(0, 4));
    return h('div', { class: 'news-mine' },
      h('h3', { id: 'ann-mine', tabindex: '-1' }, t(staff() ? 'annAll' : 'annMine')),
      errorBox(listError),
      items === null ? !listError && h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading'))
        : !items.length ? h('p', { class: 'empty' }, t('annNone'))
        : h('ul', { class: 'news-list' }, items.map((a) => h('li', { class: 'news-item', 'data-announcement-id': String(a.id) },
            h('p', { class: 'news-title' }, a.title),
            h('p', { class: 'news-meta' }, t('annFor', { to: a.school_wide ? t('annWholeSchool') : a.classes.map((c) => c.name).join(', ') }), ' · ',
              t('announcementBy', { name: fullName(a.author), date: formatDay(a.until, year) })),
            confirmId === a.id
              ? h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `ann-q-${a.id}` },
                  h('p', { id: `ann-q-${a.id}` }, t('annConfirm', { title: a.title })),
                  h('div', { class: 'actions' },
                    h('button', { type: 'button', class: 'danger', id: `ann-confirm-${a.id}`, 'aria-disabled': busy ? 'true' : undefined,
                      onClick: () => void change(() => request('DELETE', `/api/announcements/${a.id}`), t('annDeleted'), 'ann-mine') },
                      t('confirmDeleteButton')),
                    h('button', { type: 'button', id: `ann-keep-${a.id}`, onClick: () => ((confirmId = 0), paint(`ann-delete-${a.id}`)) }, t('cancel'))))
              : h('div', { class: 'actions' },
                  h('button', { type: 'button', class: 'small danger-ghost', id: `ann-delete-${a.id}`, onClick: () => ((confirmId = a.id), paint(`ann-confirm-${a.id}`)) },
                    t('delete'), h('span', { class: 'sr-only' }, ` « ${a.title} »`)))))));
  }

  function paint(focusId?: string): void {
    if (!ctx.me()) return;
    repaint(root, focusId, h('h2', { id: 'ann-heading', tabindex: '-1' }, t('annWrite')), form(), list());
  }

  return { view: loadOnFirstView(root, () => paint(), load) };
}

export type News = ReturnType<typeof createNews>;
