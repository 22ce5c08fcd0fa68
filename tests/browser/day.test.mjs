#!/usr/bin/env node
// End-to-end test of the web UI against a real `cartable demo` server, in Debian's Chromium.
//
//   npm ci --prefix tests/browser
//   node tests/browser/day.test.mjs --server build/release/cartable [--chromium /usr/bin/chromium]
//
// Starts the server on an ephemeral port with a fixed clock (Monday 2026-11-23, 07:45 UTC), then:
//  1. a pupil signs in (after a wrong one is refused) and sees today's lessons and homework;
//  2. axe-core finds no serious or critical violation on the sign-in page and the day view;
//  3. a teacher of the pupil's class publishes homework due tomorrow; the pupil reloads and sees it;
//  4. the day view fits a 360 px wide phone (screenshots saved in the temp dir);
//  5. the teacher's editor reports a missing title, edits the homework and deletes it.
// The server is stopped with SIGTERM at the end, whatever happened. Last line: "N passed, N failed".
import { join } from 'node:path';
import {
  init, run, notRun, step, assert, assertEqual, startServer, launchBrowser, apiSignIn, apiSignOut,
  runAxe, watch, noProblems, newPage, signInUi, addDays, slug, tmp, baseUrl, accounts
} from './harness.mjs';

init({ script: 'day.test.mjs', tmpPrefix: 'cartable-browser-' });

// ---------------------------------------------------------------- the test

let pupil = null;
let pupilPage = null;
let pupilProblems = [];
let teacher = null; // { account, teaching }
let teacherPage = null;
let teacherProblems = [];
let postedTitle = '';
let tomorrow = '';

async function main() {
  let serverUp = false;
  await step('server starts and serves the app under its CSP', async () => {
    await startServer();
    const res = await fetch(`${baseUrl}/some/deep/link`);
    assertEqual(res.status, 200, 'GET of an unknown non-API path');
    const html = await res.text();
    assert(/<script type="module"[^>]* src="\/assets\/[^"]+\.js"/.test(html), `index.html with a hashed module script, got:\n${html.slice(0, 400)}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert(/script-src 'self'/.test(csp), `a CSP with script-src 'self', got "${csp}"`);
    pupil = accounts.find((a) => a.role === 'pupil' && a.class);
    assert(pupil, 'accounts.csv has a pupil with a class');
    await launchBrowser();
    serverUp = true;
  });

  if (!serverUp) {
    notRun(['pupil day view', 'axe', 'teacher publishes homework', '360 px screenshot', 'teacher edits and deletes']);
    return;
  }

  await step("a pupil signs in and sees today's lessons and homework", async () => {
    ({ page: pupilPage } = await newPage());
    pupilProblems = watch(pupilPage, 'pupil');
    await pupilPage.goto(baseUrl + '/');
    await pupilPage.locator('#login').waitFor();
    assertEqual(await pupilPage.locator('h1').innerText(), 'Connexion', 'sign-in heading (French by default)');
    assertEqual(await pupilPage.getAttribute('html', 'lang'), 'fr', 'html lang');

    // A wrong login is refused with the French message, announced as an alert.
    await pupilPage.fill('#login', 'personne.inconnue');
    await pupilPage.fill('#password', 'mauvais-mot-de-passe');
    await pupilPage.click('#signin-submit');
    const alert = pupilPage.locator('#signin-error[role="alert"]');
    await alert.waitFor();
    assertEqual((await alert.innerText()).trim(), 'Identifiant ou mot de passe incorrect', 'wrong-credentials message');

    await pupilPage.fill('#login', pupil.login);
    await pupilPage.fill('#password', pupil.password);
    await pupilPage.check('#remember');
    await pupilPage.click('#signin-submit');
    await pupilPage.locator('h1', { hasText: 'Aujourd’hui' }).waitFor();
    await pupilPage.locator('.lesson').first().waitFor();
    await pupilPage.locator('.hw-item').first().waitFor();

    const today = await pupilPage.evaluate(async () => (await fetch('/api/me/today')).json());
    assertEqual(today.today, '2026-11-23', 'server today (from --now)');
    assert(today.sections?.[0]?.lessons?.length > 0, 'the API lists lessons for the pupil');
    assertEqual(await pupilPage.locator('.lesson').count(), today.sections[0].lessons.length, 'lessons shown vs API');
    assertEqual(await pupilPage.locator('.hw-item').count(), today.sections[0].homework.length, 'homework shown vs API');
    assert(!today.shifted, 'a Monday is not shifted');
    assertEqual((await pupilPage.locator('#day-date').innerText()).toLowerCase(), 'lundi 23 novembre', 'date line');
    const header = await pupilPage.locator('header .who').innerText();
    assert(/Élève/.test(header), `header names the role, got "${header}"`);
    const firstLesson = await pupilPage.locator('.lesson').first().innerText();
    assert(/\d\d:\d\d/.test(firstLesson), `a lesson shows its time, got "${firstLesson}"`);
    noProblems(pupilProblems);
  });

  await step('axe-core: no serious or critical violation on the sign-in page and the day view', async () => {
    const { context, page } = await newPage();
    await page.goto(baseUrl + '/');
    await page.locator('#login').waitFor();
    await runAxe(page, 'sign-in page');
    // The sign-in page with an error shown.
    await page.click('#signin-submit');
    await page.locator('#signin-error').waitFor();
    await runAxe(page, 'sign-in page with an error');
    await context.close();
    assert(pupilPage, 'the pupil page exists (step 1)');
    await pupilPage.locator('.lesson').first().waitFor();
    await runAxe(pupilPage, 'pupil day view');
  });

  await step("a teacher of the pupil's class publishes homework due tomorrow; the pupil sees it after reload", async () => {
    assert(pupilPage, 'the pupil page exists (step 1)');
    // Teachers of the pupil's own lessons first (their logins derive from their names), then the rest.
    const today = await pupilPage.evaluate(async () => (await fetch('/api/me/today')).json());
    const names = new Set(
      (today.sections?.[0]?.lessons ?? []).map((l) => `${slug(l.teacher.first_name)}.${slug(l.teacher.last_name)}`),
    );
    const teachers = accounts.filter((a) => a.role === 'teacher' && (!pupil.school || a.school === pupil.school));
    const likely = (a) => [...names].some((n) => a.login === n || a.login.startsWith(n));
    const candidates = [...teachers.filter(likely), ...teachers.filter((a) => !likely(a))];
    assert(candidates.length, 'accounts.csv lists teachers of the pupil’s school');
    for (const account of candidates.slice(0, 60)) {
      const session = await apiSignIn(account.login, account.password);
      const t = (session.me.teaching ?? []).find((x) => x.class?.name === pupil.class);
      await apiSignOut(session);
      if (t) {
        teacher = { account, teaching: t };
        break;
      }
    }
    assert(teacher, `found no teacher whose /api/me teaching lists class "${pupil.class}"`);
    console.log(`#   teacher ${teacher.account.login}: ${teacher.teaching.class.name} / ${teacher.teaching.subject.name}`);

    ({ page: teacherPage } = await newPage());
    teacherProblems = watch(teacherPage, 'teacher');
    await signInUi(teacherPage, teacher.account.login, teacher.account.password);
    await teacherPage.locator('#hw-form').waitFor();
    const ttoday = await teacherPage.evaluate(async () => (await fetch('/api/me/today')).json());
    tomorrow = addDays(ttoday.today, 1);
    postedTitle = `Test navigateur ${Math.random().toString(36).slice(2, 8)}`;
    await teacherPage.selectOption('#hw-teaching', `${teacher.teaching.class.id}:${teacher.teaching.subject.id}`);
    await teacherPage.fill('#hw-title', postedTitle);
    await teacherPage.fill('#hw-body', 'Relire la leçon.\nFaire l’exercice 3.');
    await teacherPage.fill('#hw-due_date', tomorrow);
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('.status-line', { hasText: 'Devoir publié.' }).waitFor();
    await teacherPage.locator('#hw-mine .hw-item', { hasText: postedTitle }).waitFor();

    await pupilPage.reload();
    const item = pupilPage.locator('.hw-group', { has: pupilPage.locator('.hw-title', { hasText: postedTitle }) });
    await item.waitFor();
    const groupHeading = await item.locator('.hw-date').innerText();
    assert(/\(demain\)/.test(groupHeading), `the homework is grouped under tomorrow, got "${groupHeading}"`);
    noProblems(teacherProblems);
    noProblems(pupilProblems);
  });

  await step('the day view fits a 360 px wide phone (screenshots in the temp dir)', async () => {
    assert(pupilPage, 'the pupil page exists (step 1)');
    await pupilPage.setViewportSize({ width: 360, height: 780 });
    await pupilPage.locator('.lesson').first().waitFor();
    const file = join(tmp, 'day-360.png');
    await pupilPage.screenshot({ path: file, fullPage: true });
    console.log(`#   screenshot: ${file}`);
    const overflow = await pupilPage.evaluate(() => document.documentElement.scrollWidth);
    assert(overflow <= 360, `no horizontal scrolling at 360 px (page is ${overflow} px wide)`);
    if (teacherPage) {
      await teacherPage.setViewportSize({ width: 360, height: 780 });
      await teacherPage.screenshot({ path: join(tmp, 'teacher-360.png'), fullPage: true });
      const w = await teacherPage.evaluate(() => document.documentElement.scrollWidth);
      assert(w <= 360, `teacher view: no horizontal scrolling at 360 px (page is ${w} px wide)`);
    }
    const { context, page } = await newPage({ width: 360, height: 780 });
    await page.goto(baseUrl + '/');
    await page.locator('#login').waitFor();
    await page.screenshot({ path: join(tmp, 'signin-360.png'), fullPage: true });
    await context.close();
  });

  await step('the teacher’s editor flags a missing title, edits the homework and deletes it', async () => {
    assert(teacherPage && postedTitle, 'the teacher page and the posted homework exist (step 3)');
    await teacherPage.setViewportSize({ width: 1280, height: 900 });
    // Client-side check: an empty title is refused next to the field.
    await teacherPage.fill('#hw-title', '');
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('#hw-title-error').waitFor();
    assertEqual(await teacherPage.getAttribute('#hw-title', 'aria-invalid'), 'true', 'title marked invalid');
    assert(
      await teacherPage.evaluate(() => document.activeElement?.id === 'hw-title'),
      'focus moves to the invalid field',
    );

    const row = teacherPage.locator('#hw-mine .hw-item', { hasText: postedTitle });
    const id = await row.getAttribute('data-homework-id');
    await teacherPage.click(`#hw-edit-${id}`);
    const edited = `${postedTitle} (modifié)`;
    await teacherPage.fill('#hw-title', edited);
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('.status-line', { hasText: 'Devoir modifié.' }).waitFor();
    await teacherPage.locator('#hw-mine .hw-item .hw-title', { hasText: edited }).waitFor();

    await teacherPage.click(`#hw-delete-${id}`);
    await teacherPage.click(`#hw-confirm-${id}`);
    await teacherPage.locator('.status-line', { hasText: 'Devoir supprimé.' }).waitFor();
    assertEqual(await teacherPage.locator(`#hw-mine [data-homework-id="${id}"]`).count(), 0, 'row removed');
    const mine = await teacherPage.evaluate(async () => (await fetch('/api/homework?mine=1')).json());
    assert(!mine.homework.some((hw) => String(hw.id) === id), 'the server no longer lists the deleted homework');

    // The language switch: English, remembered, then back to French.
    await teacherPage.click('#lang-switch');
    await teacherPage.locator('h1', { hasText: 'Today' }).waitFor();
    await teacherPage.reload();
    await teacherPage.locator('h1', { hasText: 'Today' }).waitFor();
    await teacherPage.click('#lang-switch');
    await teacherPage.locator('h1', { hasText: 'Aujourd’hui' }).waitFor();
    noProblems(teacherProblems);
  });
}

await run(main);
