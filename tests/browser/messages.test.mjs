#!/usr/bin/env node
// End-to-end test of the messages and of posting announcements against a real `cartable demo`
// server, in Debian's Chromium. Same harness as day.test.mjs.
//
//   npm ci --prefix tests/browser
//   node tests/browser/messages.test.mjs --server build/release/cartable [--chromium /usr/bin/chromium]
//
// A parent with one child, a teacher of the child's class (found among the parent's contacts) and a
// pupil of another class are found; the teacher marks the child through the API (setup only). Then,
// through the UI:
//  1. the parent reads the mark in "Notes", then writes to the teacher from "Messages" (contact
//     search, subject, text, a PDF attached); the conversation opens with the message and the file;
//  2. the teacher sees the unread count on the tab, opens the conversation (the count goes), downloads
//     the parent's PDF and replies with a PDF of their own;
//  3. the parent, still in the conversation, gets the reply on the next poll (focus), announced in the
//     live region, and downloads the teacher's file;
//  4. "load older": a conversation of 22 messages shows 20, then all; a message without recipient
//     and a refused file type (HTML) are explained in French; the view reads in English;
//  5. the teacher posts an announcement for the child's class from the day view: the child sees it,
//     the pupil of another class does not; the teacher deletes it (after a confirmation);
//  6. a staff member posts a school-wide announcement, which the other pupil sees; staff have the
//     Messages tab too.
// axe-core runs on each new view, and each fits 360 px. Last line: "N passed, N failed".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  init, run, notRun, step, assert, assertEqual, startServer, launchBrowser, apiSignIn, apiSignOut,
  apiJson, runAxe, watch, noProblems, newPage, signInUi, slug, noOverflow, PDF, tmp, accounts
} from './harness.mjs';

init({ script: 'messages.test.mjs', tmpPrefix: 'cartable-messages-' });

let parent = null; // { account, child }
let teacher = null; // { account, id, name }
let other = null; // a pupil of another class
let child = null; // the child's account
let staff = null;
let parentPage = null;
let parentProblems = [];
let teacherPage = null;
let teacherProblems = [];
const tag = Math.random().toString(36).slice(2, 7);
const evalTitle = `Dictée ${tag}`;
const subject = `Question sur la dictée ${tag}`;
const question = 'Bonjour, pourriez-vous m’expliquer la note de ma fille ?';
const reply = 'Bonjour, volontiers : voici le corrigé.';
const annTitle = `Sortie au musée ${tag}`;
const schoolTitle = `Journée portes ouvertes ${tag}`;

// Download a link of `page` and check it is the PDF the harness uploads.
async function downloadPdf(page, link, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = join(tmp, name);
  await download.saveAs(path);
  assert(readFileSync(path).equals(PDF), `${name} comes back byte for byte`);
}

// The 4xx the UI provokes on purpose show as console errors; nothing else may.
const expected = (problems, ...codes) => problems.filter((p) => !codes.some((c) => p.includes(`status of ${c}`)));

async function main() {
  let up = false;
  await step('server starts; a parent, their child, a teacher of the class and another pupil are found; the child is marked', async () => {
    await startServer();
    const byLogin = new Map(accounts.map((a) => [a.login, a]));
    for (const a of accounts.filter((x) => x.role === 'parent').slice(0, 20)) {
      const s = await apiSignIn(a.login, a.password);
      const kids = s.me.children ?? [];
      if (kids.length === 1 && kids[0].class) {
        // The teachers a parent may write to are those of their child's class (docs/api.md).
        const { contacts } = await apiJson(s, 'GET', '/api/contacts?q=');
        for (const c of contacts.filter((x) => x.role === 'teacher')) {
          const acc = byLogin.get(`${slug(c.first_name)}.${slug(c.last_name)}`);
          if (!acc) continue;
          const ts = await apiSignIn(acc.login, acc.password);
          const teaching = (ts.me.teaching ?? []).find((x) => x.class.id === kids[0].class.id);
          if (teaching) {
            const ev = await apiJson(ts, 'POST', '/api/evaluations', {
              class_id: teaching.class.id, subject_id: teaching.subject.id, title: evalTitle, date: '2026-11-20', out_of: 20, coefficient: 1,
            });
            await apiJson(ts, 'PUT', `/api/evaluations/${ev.id}/marks`, { marks: [{ pupil_id: kids[0].id, state: 'graded', value: 14, comment: '' }] });
            teacher = { account: acc, id: c.id, name: `${c.first_name} ${c.last_name}`, last: c.last_name, classId: teaching.class.id };
          }
          await apiSignOut(ts);
          if (teacher) break;
        }
        if (teacher) parent = { account: a, child: kids[0], id: s.me.user.id };
      }
      await apiSignOut(s);
      if (parent) break;
    }
    assert(parent && teacher, 'found a parent with one child and a teacher of the child’s class');
    const childName = `${slug(parent.child.first_name)}.${slug(parent.child.last_name)}`;
    for (const a of accounts.filter((x) => x.role === 'pupil' && x.login.startsWith(childName) && x.class === parent.child.class.name)) {
      const s = await apiSignIn(a.login, a.password);
      await apiSignOut(s);
      if (s.me.user.id === parent.child.id) child = a;
    }
    assert(child, `found the child's account (${childName})`);
    other = accounts.find((a) => a.role === 'pupil' && a.class && a.class !== child.class && a.school === child.school);
    staff = accounts.find((a) => a.role === 'staff' && a.school === child.school);
    assert(other && staff, 'found a pupil of another class and a staff member');
    console.log(`#   parent ${parent.account.login}, child ${child.login} (${child.class}), teacher ${teacher.account.login}, other pupil ${other.login} (${other.class}), staff ${staff.login}`);
    await launchBrowser();
    up = true;
  });

  const names = [
    'parent reads the mark and writes to the teacher',
    'teacher sees the unread count, reads, replies',
    'parent gets the reply',
    'older messages, errors, English',
    'teacher announcement',
    'staff announcement',
  ];
  if (!up) {
    notRun(names);
    return;
  }

  await step("the parent reads their child's mark, then writes to the teacher with a PDF attached", async () => {
    ({ page: parentPage } = await newPage());
    parentProblems = watch(parentPage, 'parent');
    await signInUi(parentPage, parent.account.login, parent.account.password);
    await parentPage.click('#tab-grades');
    const row = parentPage.locator(`section[aria-labelledby="grades-${parent.child.id}"] tr`, { hasText: evalTitle });
    assertEqual((await row.locator('.mark-cell').innerText()).trim(), '14/20', 'the mark in the report');

    await parentPage.click('#tab-messages');
    await parentPage.locator('h1', { hasText: 'Messages' }).waitFor();
    assertEqual(await parentPage.getAttribute('#tab-messages', 'aria-current'), 'page', 'current tab');
    await parentPage.locator('.conv-pane .empty, .conv-list').first().waitFor();
    await runAxe(parentPage, 'messages, nothing open');
    await parentPage.click('#msg-new');
    await parentPage.locator('#msg-new-title').waitFor();
    await parentPage.fill('#msg-search', teacher.last);
    const pick = parentPage.locator(`#contact-${teacher.id}`);
    await pick.waitFor();
    // Only people the parent may write to are offered: no pupil, no other parent.
    const roles = await parentPage.locator('.contacts .meta').allInnerTexts();
    assert(roles.every((r) => !/Élève|Parent/.test(r)), `contacts are staff and teachers, got ${roles.join()}`);
    await pick.click();
    await parentPage.locator(`#msg-to li[data-person-id="${teacher.id}"]`).waitFor();
    assert(await parentPage.evaluate(() => document.activeElement?.id === 'msg-search'), 'focus back on the search');
    await parentPage.fill('#msg-subject', subject);
    await parentPage.fill('#msg-body', question);
    await parentPage.setInputFiles('#msg-files', { name: 'question.pdf', mimeType: 'application/pdf', buffer: PDF });
    await parentPage.locator('.picked li', { hasText: 'question.pdf' }).waitFor();
    await runAxe(parentPage, 'new message form');
    await parentPage.click('#msg-send');
    await parentPage.locator('#msg-thread-title', { hasText: subject }).waitFor();
    assert(await parentPage.evaluate(() => document.activeElement?.id === 'msg-thread-title'), 'focus on the conversation');
    const mine = parentPage.locator('#msg-list li.msg.mine', { hasText: question });
    await mine.waitFor();
    const href = await mine.locator('a', { hasText: 'question.pdf' }).getAttribute('href');
    assert(/^\/api\/files\/\d+$/.test(href ?? ''), `a download link, got ${href}`);
    await parentPage.locator('.conv-list li', { hasText: subject }).waitFor();
    await runAxe(parentPage, 'conversation (parent)');
    await parentPage.setViewportSize({ width: 360, height: 780 });
    assert(!(await parentPage.locator('.conv-pane').isVisible()), 'a phone shows the conversation alone');
    await parentPage.screenshot({ path: join(tmp, 'messages-360.png'), fullPage: true });
    await noOverflow(parentPage, 'conversation');
    await parentPage.setViewportSize({ width: 1280, height: 900 });
    noProblems(parentProblems);
  });

  await step('the teacher sees the unread count, opens the conversation, downloads the file and replies with one', async () => {
    ({ page: teacherPage } = await newPage());
    teacherProblems = watch(teacherPage, 'teacher');
    await signInUi(teacherPage, teacher.account.login, teacher.account.password);
    const badge = teacherPage.locator('#tab-messages .badge');
    await badge.waitFor();
    assertEqual((await badge.innerText()).replace(/\s+/g, ' ').trim().split(' ')[0], '1', 'one unread message on the tab');
    assert(/1 non lu/.test(await teacherPage.locator('#tab-messages').innerText()), 'read out as "1 non lu"');
    await teacherPage.click('#tab-messages');
    const conv = teacherPage.locator('.conv-list li', { hasText: subject });
    await conv.locator('.badge').waitFor();
    await conv.locator('button').click();
    await teacherPage.locator('#msg-thread-title', { hasText: subject }).waitFor();
    const msg = teacherPage.locator('#msg-list li.msg', { hasText: question });
    await msg.waitFor();
    await badge.waitFor({ state: 'detached' });
    await conv.locator('.badge').waitFor({ state: 'detached' });
    const unread = await teacherPage.evaluate(async () => (await fetch('/api/messages/unread')).json());
    assertEqual(unread.unread, 0, 'opening the conversation marked it read');
    await downloadPdf(teacherPage, msg.locator('a', { hasText: 'question.pdf' }), 'question.pdf');
    await teacherPage.fill('#msg-body', reply);
    await teacherPage.setInputFiles('#msg-files', { name: 'corrige.pdf', mimeType: 'application/pdf', buffer: PDF });
    await teacherPage.click('#msg-send');
    await teacherPage.locator('#msg-list li.msg.mine', { hasText: reply }).locator('a', { hasText: 'corrige.pdf' }).waitFor();
    await teacherPage.locator('.composer .status-line', { hasText: 'Message envoyé.' }).waitFor();
    assertEqual(await teacherPage.inputValue('#msg-body'), '', 'the composer is emptied');
    await runAxe(teacherPage, 'conversation (teacher)');
    await teacherPage.screenshot({ path: join(tmp, 'messages-desktop.png'), fullPage: true });
    noProblems(teacherProblems);
  });

  await step('the parent, still in the conversation, gets the reply on coming back to the page and downloads the file', async () => {
    const theirs = parentPage.locator('#msg-list li.msg:not(.mine)', { hasText: reply });
    // The unread count is polled on focus (at most every 2 s) and every 20 s on this tab.
    for (let i = 0; i < 12 && !(await theirs.count()); i++) {
      await parentPage.evaluate(() => window.dispatchEvent(new Event('focus')));
      await sleep(2500);
    }
    await theirs.waitFor();
    const said = await parentPage.locator('body > [role="status"]').innerText();
    assert(said.includes(`Nouveau message de ${teacher.name}`), `the reply is announced, got "${said}"`);
    await downloadPdf(parentPage, theirs.locator('a', { hasText: 'corrige.pdf' }), 'corrige.pdf');
    // Shown, so read: the conversation has nothing unread, and the tab counts only the rest (the
    // demo leaves some parents an unread conversation of their own).
    await parentPage.locator('.conv-list li', { hasText: subject }).locator('.badge').waitFor({ state: 'detached' });
    const { conversations, unread } = await parentPage.evaluate(async () => (await fetch('/api/conversations')).json());
    assertEqual(conversations.find((c) => c.subject === subject)?.unread, 0, 'the server holds it read');
    const shown = await parentPage.locator('#tab-messages .badge [aria-hidden]').allInnerTexts();
    assertEqual(shown.join() || '0', String(unread), 'the tab counts what is left unread');
    noProblems(parentProblems);
  });

  await step('older messages load on demand; a missing recipient and a refused file are explained; English', async () => {
    // 22 messages from the teacher (setup through the API): a page shows 20.
    const ts = await apiSignIn(teacher.account.login, teacher.account.password);
    const long = await apiJson(ts, 'POST', '/api/conversations', { subject: `Long échange ${tag}`, participant_ids: [parent.id], body: 'message 1', attachment_ids: [] });
    for (let i = 2; i <= 22; i++) await apiJson(ts, 'POST', `/api/conversations/${long.id}/messages`, { body: `message ${i}`, attachment_ids: [] });
    await apiSignOut(ts);
    await parentPage.click('#tab-today');
    await parentPage.click('#tab-messages');
    await parentPage.click(`#conv-${long.id}`);
    await parentPage.locator('#msg-list li', { hasText: 'message 22' }).waitFor();
    assertEqual(await parentPage.locator('#msg-list li').count(), 20, 'a page of 20');
    assertEqual(await parentPage.locator('#msg-list li').first().innerText().then((s) => /message 3$/.test(s.trim())), true, 'oldest first, from message 3');
    await parentPage.click('#msg-older');
    await parentPage.locator('#msg-list li', { hasText: /message 1$/ }).waitFor();
    assertEqual(await parentPage.locator('#msg-list li').count(), 22, 'all 22 once the older page is loaded');
    assertEqual(await parentPage.locator('#msg-older').count(), 0, 'no more older page');
    assert(await parentPage.evaluate(() => document.activeElement?.closest('#msg-list') !== null), 'focus on the last of the older page');

    await parentPage.click('#msg-new');
    await parentPage.fill('#msg-subject', 'Sans destinataire');
    await parentPage.fill('#msg-body', 'Bonjour');
    await parentPage.click('#msg-send');
    const err = parentPage.locator('#msg-error[role="alert"]');
    await err.waitFor();
    assertEqual((await err.innerText()).trim(), 'Choisissez au moins un destinataire.', 'missing recipient');
    assert(await parentPage.evaluate(() => document.activeElement?.id === 'msg-error'), 'focus on the error');
    await parentPage.fill('#msg-search', teacher.last);
    await parentPage.click(`#contact-${teacher.id}`);
    await parentPage.setInputFiles('#msg-files', { name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<html><body>x</body></html>') });
    await parentPage.click('#msg-send');
    await parentPage.locator('#msg-error', { hasText: 'n’est pas accepté' }).waitFor();
    await runAxe(parentPage, 'new message with an error');

    await parentPage.click('#lang-switch');
    await parentPage.locator('h1', { hasText: 'Messages' }).waitFor();
    await parentPage.locator('#msg-new', { hasText: 'New message' }).waitFor();
    await parentPage.locator('legend', { hasText: 'Recipients' }).waitFor();
    await parentPage.click('#lang-switch');
    await parentPage.locator('#msg-new', { hasText: 'Nouveau message' }).waitFor();
    noProblems(expected(parentProblems, 415));
  });

  await step('a teacher posts an announcement for a class: a pupil of the class sees it, one of another class does not', async () => {
    await teacherPage.click('#tab-today');
    await teacherPage.click('#ann-toggle');
    await teacherPage.locator('#ann-heading').waitFor();
    assert(await teacherPage.evaluate(() => document.activeElement?.id === 'ann-heading'), 'focus on the panel');
    // A title is required.
    await teacherPage.click('#ann-submit');
    await teacherPage.locator('#ann-title-error').waitFor();
    await teacherPage.fill('#ann-title', annTitle);
    await teacherPage.fill('#ann-body', 'Départ à 9 h devant le collège.');
    for (const box of await teacherPage.locator('input[id^="ann-class-"]').all()) {
      const want = (await box.getAttribute('id')) === `ann-class-${teacher.classId}`;
      if ((await box.isChecked()) !== want) await box.click();
    }
    await runAxe(teacherPage, 'announcement form');
    await teacherPage.click('#ann-submit');
    await teacherPage.locator('#ann-panel .status-line', { hasText: 'Annonce publiée.' }).waitFor();
    await teacherPage.locator('#ann-panel .news-item', { hasText: annTitle }).waitFor();
    await teacherPage.locator('.announcements .news-item', { hasText: annTitle }).waitFor();
    await teacherPage.setViewportSize({ width: 360, height: 780 });
    await noOverflow(teacherPage, 'announcement panel');
    await teacherPage.setViewportSize({ width: 1280, height: 900 });

    const { page: pupilPage } = await newPage();
    const pupilProblems = watch(pupilPage, 'pupil');
    await signInUi(pupilPage, child.login, child.password);
    await pupilPage.locator('.announcements .news-item', { hasText: annTitle }).waitFor();
    await runAxe(pupilPage, 'day view with the announcement');
    noProblems(pupilProblems);
    await pupilPage.context().close();

    const { page: otherPage } = await newPage();
    const otherProblems = watch(otherPage, 'other pupil');
    await signInUi(otherPage, other.login, other.password);
    await otherPage.locator('.lesson, .empty').first().waitFor();
    assertEqual(await otherPage.locator('.news-item', { hasText: annTitle }).count(), 0, 'a pupil of another class does not see it');
    const theirs = await otherPage.evaluate(async () => (await fetch('/api/announcements')).json());
    assert(!theirs.announcements.some((a) => a.title === annTitle), 'nor does the API give it to them');
    noProblems(otherProblems);
    await otherPage.context().close();

    const id = await teacherPage.locator('#ann-panel .news-item', { hasText: annTitle }).getAttribute('data-announcement-id');
    await teacherPage.click(`#ann-delete-${id}`);
    await teacherPage.click(`#ann-confirm-${id}`);
    await teacherPage.locator('#ann-panel .status-line', { hasText: 'Annonce supprimée.' }).waitFor();
    await teacherPage.locator('.announcements .news-item', { hasText: annTitle }).waitFor({ state: 'detached' });
    noProblems(teacherProblems);
  });

  await step('staff post a school-wide announcement that a pupil of any class sees; staff have the Messages tab', async () => {
    const { page } = await newPage();
    const problems = watch(page, 'staff');
    await signInUi(page, staff.login, staff.password);
    await page.locator('#ann-heading').waitFor();
    await page.locator('#tab-messages').waitFor();
    assertEqual(await page.locator('#tab-grades').count(), 0, 'staff have no grades tab');
    await page.locator('#ann-panel .notice', { hasText: 'tout l’établissement' }).waitFor();
    await page.fill('#ann-title', schoolTitle);
    await page.click('#ann-submit');
    await page.locator('#ann-panel .status-line', { hasText: 'Annonce publiée.' }).waitFor();
    await page.locator('.announcements .news-item', { hasText: schoolTitle }).waitFor();
    await runAxe(page, 'staff day with the panel');
    await page.setViewportSize({ width: 360, height: 780 });
    await noOverflow(page, 'staff day');
    await page.click('#tab-messages');
    await page.locator('.conv-list, .conv-pane .empty').first().waitFor();
    await runAxe(page, 'staff messages');
    await noOverflow(page, 'staff messages');
    noProblems(problems);

    const { page: otherPage } = await newPage();
    await signInUi(otherPage, other.login, other.password);
    await otherPage.locator('.announcements .news-item', { hasText: schoolTitle }).waitFor();
  });
}

await run(main);
