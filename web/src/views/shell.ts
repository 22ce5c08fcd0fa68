import type { Role } from '../api';
import { h } from '../dom';
import { t, type Key } from '../i18n';
import type { Actions, Msg } from '../state';
import { state } from '../state';

const roleKeys: Record<Role, Key> = {
  pupil: 'rolePupil',
  teacher: 'roleTeacher',
  parent: 'roleParent',
  staff: 'roleStaff',
  admin: 'roleAdmin',
};

export function fullName(p: { first_name: string; last_name: string }): string {
  return `${p.first_name} ${p.last_name}`.trim();
}

export function skipLink(): HTMLElement {
  return h('a', { class: 'skip', href: '#main' }, t('skipLink'));
}

export function header(a: Actions): HTMLElement {
  const me = state.me;
  return h(
    'header',
    { class: 'top' },
    h(
      'div',
      { class: 'bar' },
      h('p', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), t('appName')),
      me &&
        h(
          'p',
          { class: 'who' },
          h('span', { class: 'who-name' }, fullName(me.user)),
          h('span', { class: 'who-role' }, t(roleKeys[me.user.role] ?? 'rolePupil')),
        ),
      h(
        'div',
        { class: 'account' },
        h(
          'button',
          {
            type: 'button',
            id: 'lang-switch',
            class: 'ghost',
            lang: t('otherLanguageCode'),
            title: t('languageSwitchLabel'),
            onClick: () => a.toggleLang(),
          },
          t('otherLanguage'),
        ),
        hasTabs(me) && me!.user.role !== 'staff' && me!.user.role !== 'admin' &&
          h('a', { href: '#agenda', id: 'agenda-link', class: 'ghost', 'aria-current': state.tab === 'agenda' ? 'page' : undefined }, t('agenda')),
        me &&
          h('button', { type: 'button', id: 'sign-out', class: 'ghost', onClick: () => a.signOut() }, t('signOut')),
      ),
    ),
    hasTabs(me) &&
      h(
        'nav',
        { class: 'tabs', 'aria-label': t('tabsNav') },
        h(
          'ul',
          null,
          tabsOf(me!.user.role).map(([tab, href, key]) =>
            h(
              'li',
              null,
              h(
                'a',
                { href, id: `tab-${tab}`, 'aria-current': state.tab === tab ? 'page' : undefined },
                t(key),
                tab === 'messages' && countBadge(state.unread),
              ),
            ),
          ),
        ),
      ),
  );
}

const allTabs = [
  ['today', '#aujourdhui', 'today'],
  ['grades', '#notes', 'grades'],
  ['docs', '#documents', 'documents'],
  ['live', '#direct', 'live'],
  ['messages', '#messages', 'messages'],
] as const;

// Everyone has the day and the messages; staff and administrators nothing else yet, parents no live lesson.
export function tabsOf(role: Role): (typeof allTabs)[number][] {
  if (role === 'staff' || role === 'admin') return allTabs.filter(([tab]) => tab === 'today' || tab === 'messages');
  return allTabs.filter(([tab]) => tab !== 'live' || role !== 'parent');
}

function hasTabs(me: typeof state.me): boolean {
  return !!me && state.phase === 'app';
}

// A count in a pill ("3"), read out as "3 non lus".
export function countBadge(n: number): HTMLElement | null {
  if (n <= 0) return null;
  return h(
    'span',
    { class: 'badge count' },
    h('span', { 'aria-hidden': 'true' }, String(n)),
    h('span', { class: 'sr-only' }, ` ${t(n > 1 ? 'unreadMany' : 'unreadOne', { n })}`),
  );
}

export function mainLandmark(extraClass: string, ...children: (Node | false | null)[]): HTMLElement {
  return h('main', { id: 'main', tabindex: '-1', class: `page ${extraClass}` }, ...children);
}

export function errorBox(msg: Msg | null, id?: string): HTMLElement | null {
  // With an id, focusable from script (tabindex -1): some actions move focus to their error.
  return msg
    ? h('p', { class: 'error', role: 'alert', 'aria-live': 'assertive', id, tabindex: id ? '-1' : undefined }, msg())
    : null;
}

export function bootView(): HTMLElement {
  return mainLandmark('narrow', h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')));
}

export function errorView(a: Actions): HTMLElement {
  return mainLandmark(
    'narrow',
    h('h1', null, t('appName')),
    errorBox(state.bootError),
    h('button', { type: 'button', id: 'boot-retry', class: 'primary', onClick: () => a.retryBoot() }, t('retry')),
  );
}

export function signinView(a: Actions, password: string): HTMLElement {
  const s = state.signin;
  const invalid = s.error ? 'true' : undefined;
  const describedBy = s.error ? 'signin-error' : undefined;
  return mainLandmark(
    'narrow',
    h(
      'div',
      { class: 'card' },
      h('h1', null, t('signinTitle')),
      h('p', { class: 'intro' }, t('signinIntro')),
      s.notice && h('p', { class: 'notice' }, s.notice()),
      h(
        'form',
        {
          id: 'signin-form',
          class: 'form',
          novalidate: true,
          onSubmit: (ev: Event) => {
            ev.preventDefault();
            a.signIn();
          },
        },
        errorBox(s.error, 'signin-error'),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'login' }, t('fieldLogin')),
          h('input', {
            id: 'login',
            name: 'username',
            type: 'text',
            autocomplete: 'username',
            autocapitalize: 'none',
            spellcheck: 'false',
            required: true,
            'aria-invalid': invalid,
            'aria-describedby': describedBy,
            value: s.login,
            onInput: (ev: Event) => a.signInInput('login', (ev.target as HTMLInputElement).value),
          }),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'password' }, t('fieldPassword')),
          h('input', {
            id: 'password',
            name: 'password',
            type: 'password',
            autocomplete: 'current-password',
            required: true,
            'aria-invalid': invalid,
            'aria-describedby': describedBy,
            value: password,
            onInput: (ev: Event) => a.signInInput('password', (ev.target as HTMLInputElement).value),
          }),
        ),
        h(
          'div',
          { class: 'check' },
          h('input', {
            id: 'remember',
            name: 'remember',
            type: 'checkbox',
            checked: s.remember,
            'aria-describedby': 'remember-hint',
            onChange: (ev: Event) => a.signInInput('remember', (ev.target as HTMLInputElement).checked),
          }),
          h('label', { for: 'remember' }, t('fieldRemember')),
          h('p', { id: 'remember-hint', class: 'hint' }, t('rememberHint')),
        ),
        h(
          'button',
          { type: 'submit', id: 'signin-submit', class: 'primary wide', 'aria-disabled': s.busy ? 'true' : undefined },
          s.busy ? t('signingIn') : t('signinButton'),
        ),
      ),
    ),
  );
}

// Staff and administrators: under their day (announcements), what is still to come for them.
export function welcomeCard(): HTMLElement {
  const me = state.me!;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'welcome-title' },
    h('h2', { id: 'welcome-title' }, t('welcome', { name: me.user.first_name })),
    h('p', null, t('welcomeText', { school: me.user.school?.name ?? '' })),
  );
}
