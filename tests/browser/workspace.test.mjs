#!/usr/bin/env node
// End-to-end test of the workspace (hand-ins, copies, grades, calendar feed) against a real
// `cartable demo` server, in Debian's Chromium. Same harness as day.test.mjs.
//
//   npm ci --prefix tests/browser
//   node tests/browser/workspace.test.mjs --server build/release/cartable [--chromium /usr/bin/chromium]
//
// With the clock fixed on Monday 2026-11-23, a teacher of a pupil's class sets two homework through
// the API (setup only); then, through the UI:
//  1. the pupil opens the first one, hands in a PDF with a text and sees it handed in; a file type
//     the server refuses (HTML) is reported in French on the second one;
//  2. the hand-in panel fits a 360 px wide phone;
//  3. the teacher opens the copies, sees the hand-in, downloads the ZIP and marks it "15/20" with a
//     comment; the pupil reloads and reads the mark and the comment;
//  4. the teacher creates an evaluation in "Notes" and gives the pupil 15, checks the CSV export;
//  5. the pupil's parent reads the hand-in's mark in the child's day and the grade in "Notes"
//     (then in English);
//  6. the calendar feed: its URL is shown, serves text/calendar, and a reset makes the old one 404.
// axe-core runs on each new view. The server gets SIGTERM at the end. Last line: "N passed, N failed".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  init, run, notRun, step, assert, assertEqual, startServer, launchBrowser, apiSignIn, apiSignOut,
  apiJson, runAxe, watch, noProblems, newPage, signInUi, addDays, slug, noOverflow, PDF, tmp,
  baseUrl, accounts
} from './harness.mjs';

init({ script: 'workspace.test.mjs', tmpPrefix: 'cartable-workspace-' });

// ---------------------------------------------------------------- the test

let pupil = null; // { account, session }
let parent = null; // account
let teacher = null; // { account, teaching }
let hw = null; // the homework handed in
let hw2 = null; // the one a refused file is tried on
let pupilPage = null;
let pupilProblems = [];
let teacherPage = null;
let teacherProblems = [];
const evalTitle = `Contrôle navigateur ${Math.random().toString(36).slice(2, 7)}`;

async function main() {
  let up = false;
  await step('server starts; a pupil, their parent and a teacher of their class are found; homework is set', async () => {
    await startServer();
    const account = accounts.find((a) => a.role === 'pupil' && a.class);
    assert(account, 'accounts.csv has a pupil with a class');
    const session = await apiSignIn(account.login, account.password);
    pupil = { account, session, id: session.me.user.id };
    // Parents' logins derive from the family name; the one whose children include the pupil.
    const family = slug(session.me.user.last_name);
    for (const a of accounts.filter((x) => x.role === 'parent' && x.login.includes(family)).slice(0, 10)) {
      const s = await apiSignIn(a.login, a.password);
      await apiSignOut(s);
      if ((s.me.children ?? []).some((c) => c.id === pupil.id)) {
        parent = a;
        break;
      }
    }
    assert(parent, `found no parent of ${account.login}`);
    const today = await apiJson(session, 'GET', '/api/me/today');
    const names = new Set((today.sections?.[0]?.lessons ?? []).map((l) => `${slug(l.teacher.first_name)}.${slug(l.teacher.last_name)}`));
    const teachers = accounts.filter((a) => a.role === 'teacher' && a.school === account.school);
    const likely = (a) => names.has(a.login);
    for (const a of [...teachers.filter(likely), ...teachers.filter((x) => !likely(x))].slice(0, 60)) {
      const s = await apiSignIn(a.login, a.password);
      const t = (s.me.teaching ?? []).find((x) => x.class?.name === account.class);
      if (t) {
        teacher = { account: a, teaching: t };
        const base = { class_id: t.class.id, subject_id: t.subject.id, due_date: addDays(today.today, 2) };
        hw = await apiJson(s, 'POST', '/api/homework', { ...base, title: `Rendu navigateur ${Math.random().toString(36).slice(2, 7)}`, body: 'Rédiger une page.' });
        hw2 = await apiJson(s, 'POST', '/api/homework', { ...base, title: `Second rendu ${Math.random().toString(36).slice(2, 7)}`, body: '' });
        await apiSignOut(s);
        break;
      }
      await apiSignOut(s);
    }
    assert(teacher, `found no teacher of class "${account.class}"`);
    console.log(`#   pupil ${account.login} (${account.class}), parent ${parent.login}, teacher ${teacher.account.login} (${teacher.teaching.subject.name}), homework ${hw.id} and ${hw2.id}`);
    await launchBrowser();
    up = true;
  });

  const names = [
    'pupil hands in a PDF',
    '360 px hand-in panel',
    'teacher copies, ZIP, mark; pupil reads the mark',
    'teacher grades',
    'parent reads the marks',
    'homework attachments',
    'class documents',
    'calendar feed',
  ];
  if (!up) {
    notRun(names);
    return;
  }

  await step('a pupil opens a homework, hands in a PDF with a text and sees it handed in; a refused type is explained', async () => {
    ({ page: pupilPage } = await newPage());
    pupilProblems = watch(pupilPage, 'pupil');
    await signInUi(pupilPage, pupil.account.login, pupil.account.password);
    const open = pupilPage.locator(`#hw-open-${hw.id}-0`);
    await open.waitFor();
    assertEqual(await open.getAttribute('aria-expanded'), 'false', 'closed at first');
    await open.click();
    assertEqual(await open.getAttribute('aria-expanded'), 'true', 'aria-expanded once opened');
    await pupilPage.locator('#handin-state', { hasText: 'Pas encore rendu' }).waitFor();
    await pupilPage.fill('#handin-text', 'Voici mon travail.');
    await pupilPage.setInputFiles('#handin-files', { name: 'devoir.pdf', mimeType: 'application/pdf', buffer: PDF });
    await pupilPage.locator('.picked li', { hasText: 'devoir.pdf' }).waitFor();
    await runAxe(pupilPage, 'hand-in form with a file chosen');
    await pupilPage.click('#handin-submit');
    await pupilPage.locator('#handin-state', { hasText: 'Rendu le' }).waitFor();
    await pupilPage.locator('.handin .status-line', { hasText: 'Travail rendu.' }).waitFor();
    const link = pupilPage.locator('.handin a', { hasText: 'devoir.pdf' }).first();
    const href = await link.getAttribute('href');
    assert(/^\/api\/files\/\d+$/.test(href ?? ''), `a download link to the file, got ${href}`);
    const server = await pupilPage.evaluate(async (id) => (await fetch(`/api/homework/${id}/hand-in`)).json(), hw.id);
    assertEqual(server.hand_in?.text, 'Voici mon travail.', 'the server has the text');
    assertEqual(server.hand_in?.files?.length, 1, 'the server has one file');
    assertEqual(server.hand_in.files[0].media_type, 'application/pdf', 'recognised as a PDF');
    // The form stays, to replace the hand-in; the file handed in is kept in it.
    assertEqual(await pupilPage.locator('#handin-submit').innerText(), 'Remplacer mon rendu', 'replace button');
    await runAxe(pupilPage, 'hand-in panel, handed in');

    // A file the server refuses (HTML): the French message, in an alert, focus on it.
    await pupilPage.click(`#hw-open-${hw2.id}-0`);
    await pupilPage.locator('#handin-state', { hasText: 'Pas encore rendu' }).waitFor();
    await pupilPage.setInputFiles('#handin-files', { name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<html><body>x</body></html>') });
    await pupilPage.click('#handin-submit');
    const err = pupilPage.locator('#handin-error[role="alert"]');
    await err.waitFor();
    assert(/n’est pas accepté/.test(await err.innerText()), `a French 415 message, got "${await err.innerText()}"`);
    assert(await pupilPage.evaluate(() => document.activeElement?.id === 'handin-error'), 'focus on the error');
    // An empty hand-in is refused before any request.
    await pupilPage.click('.picked button');
    await pupilPage.click('#handin-submit');
    await pupilPage.locator('#handin-error', { hasText: 'Écrivez une réponse' }).waitFor();
    noProblems(pupilProblems.filter((p) => !/status of 415/.test(p)));
    pupilProblems.length = 0;
  });

  await step('the hand-in panel fits a 360 px wide phone', async () => {
    assert(pupilPage, 'the pupil page exists');
    await pupilPage.setViewportSize({ width: 360, height: 780 });
    await pupilPage.click(`#hw-open-${hw.id}-0`);
    await pupilPage.locator('#handin-state', { hasText: 'Rendu le' }).waitFor();
    await pupilPage.locator('#handin-state').scrollIntoViewIfNeeded();
    await pupilPage.screenshot({ path: join(tmp, 'handin-360.png'), fullPage: true });
    console.log(`#   screenshot: ${join(tmp, 'handin-360.png')}`);
    await noOverflow(pupilPage, 'hand-in panel');
    await pupilPage.setViewportSize({ width: 1280, height: 900 });
  });

  await step('the teacher sees the hand-in in the copies, downloads the ZIP, marks it 15/20; the pupil reads the mark', async () => {
    ({ page: teacherPage } = await newPage());
    teacherProblems = watch(teacherPage, 'teacher');
    await signInUi(teacherPage, teacher.account.login, teacher.account.password);
    await teacherPage.click(`#hw-copies-${hw.id}`);
    const row = teacherPage.locator(`#copies-${hw.id} li.copy[data-pupil-id="${pupil.id}"]`);
    await row.waitFor();
    assert(/rendu/.test(await row.locator('.badge').innerText()), 'status "rendu"');
    await row.locator('a', { hasText: 'devoir.pdf' }).waitFor();
    await row.getByText('Voici mon travail.').waitFor();
    const counts = await teacherPage.locator(`#copies-${hw.id} .counts`).innerText();
    assert(/^Rendus : 1 \(dont 0 en retard\)/.test(counts), `counts line, got "${counts}"`);
    await runAxe(teacherPage, 'copies view');

    const [download] = await Promise.all([teacherPage.waitForEvent('download'), teacherPage.click(`#zip-${hw.id}`)]);
    const zipPath = join(tmp, 'copies.zip');
    await download.saveAs(zipPath);
    const zip = readFileSync(zipPath);
    assert(zip.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')), 'the download is a ZIP archive');
    assert(zip.includes(Buffer.from('devoir.pdf')), 'the ZIP holds the handed-in file');
    const type = await teacherPage.evaluate(async (id) => (await fetch(`/api/homework/${id}/hand-ins.zip`)).headers.get('content-type'), hw.id);
    assert(/^application\/zip/.test(type ?? ''), `the ZIP is served as application/zip, got ${type}`);

    const hiId = (await row.locator('input[id^="mark-"]').getAttribute('id')).slice('mark-'.length);
    await teacherPage.fill(`#mark-${hiId}`, '15/20');
    await teacherPage.fill(`#comment-${hiId}`, 'Bon travail, bien rédigé.');
    await teacherPage.click(`#mark-save-${hiId}`);
    await row.locator('.status-line', { hasText: 'Note enregistrée.' }).waitFor();
    await row.locator('.mark', { hasText: '15/20' }).waitFor();
    noProblems(teacherProblems);

    await pupilPage.reload();
    await pupilPage.click(`#hw-open-${hw.id}-0`);
    await pupilPage.locator('.handin .mark', { hasText: 'Note : 15/20' }).waitFor();
    await pupilPage.locator('.handin .comment', { hasText: 'Bon travail, bien rédigé.' }).waitFor();
    assertEqual(await pupilPage.locator('#handin-submit').count(), 0, 'no form once marked');
    await runAxe(pupilPage, 'hand-in panel, marked');
    noProblems(pupilProblems);
  });

  await step('the teacher creates an evaluation in "Notes", gives the pupil 15, and the CSV export lists it', async () => {
    assert(teacherPage, 'the teacher page exists');
    await teacherPage.click('#tab-grades');
    await teacherPage.locator('h1', { hasText: 'Notes' }).waitFor();
    assertEqual(await teacherPage.getAttribute('#tab-grades', 'aria-current'), 'page', 'current tab');
    await teacherPage.selectOption('#tg-teaching', `${teacher.teaching.class.id}:${teacher.teaching.subject.id}`);
    await teacherPage.locator('#ev-heading ~ .ev-list, #ev-heading ~ .empty').first().waitFor();
    await teacherPage.fill('#ev-title', evalTitle);
    await teacherPage.fill('#ev-out_of', '20');
    await teacherPage.fill('#ev-coefficient', '2');
    await teacherPage.click('#ev-submit');
    await teacherPage.locator('#marks-title', { hasText: evalTitle }).waitFor();
    await teacherPage.fill(`#mk-value-${pupil.id}`, '15');
    await teacherPage.fill(`#mk-comment-${pupil.id}`, 'Très bien');
    await teacherPage.click('#marks-save');
    await teacherPage.locator('#marks-form .status-line', { hasText: 'Notes enregistrées.' }).waitFor();
    await runAxe(teacherPage, 'teacher grades');
    const csv = await teacherPage.evaluate(async (href) => {
      const r = await fetch(href);
      return { type: r.headers.get('content-type'), text: await r.text() };
    }, await teacherPage.locator('.export a').getAttribute('href'));
    assert(/text\/csv/.test(csv.type ?? ''), `CSV type, got ${csv.type}`);
    assert(csv.text.includes(evalTitle), 'the CSV has a column for the new evaluation');
    await teacherPage.setViewportSize({ width: 360, height: 780 });
    await teacherPage.screenshot({ path: join(tmp, 'teacher-grades-360.png'), fullPage: true });
    await noOverflow(teacherPage, 'teacher grades');
    noProblems(teacherProblems);
  });

  await step("the parent reads the child's hand-in mark and grade (in French, then in English)", async () => {
    const { page } = await newPage();
    const problems = watch(page, 'parent');
    await signInUi(page, parent.login, parent.password);
    const open = page.locator(`#hw-open-${hw.id}-${pupil.id}`);
    await open.click();
    await page.locator('.handin .mark', { hasText: 'Note : 15/20' }).waitFor();
    await page.locator('.handin .comment', { hasText: 'Bon travail' }).waitFor();
    assertEqual(await page.locator('#handin-submit').count(), 0, 'a parent gets no form');
    await runAxe(page, 'parent hand-in view');
    await page.click('#tab-grades');
    const row = page.locator(`section[aria-labelledby="grades-${pupil.id}"] tr`, { hasText: evalTitle });
    await row.waitFor();
    assertEqual((await row.locator('.mark-cell').innerText()).trim(), '15/20', 'the grade in the report');
    await runAxe(page, 'parent grades');
    await page.setViewportSize({ width: 360, height: 780 });
    await noOverflow(page, 'parent grades');
    await page.click('#lang-switch');
    await page.locator('h1', { hasText: 'Grades' }).waitFor();
    await page.locator('.overall', { hasText: 'Overall average' }).first().waitFor();
    await page.click('#lang-switch');
    noProblems(problems);
  });

  await step('the teacher publishes homework with an attached file, edits it keeping the file; the pupil downloads it', async () => {
    assert(teacherPage && pupilPage, 'the teacher and pupil pages exist');
    await teacherPage.setViewportSize({ width: 1280, height: 900 });
    await teacherPage.click('#tab-today');
    await teacherPage.locator('#hw-form').waitFor();
    const title = `Avec fiche ${Math.random().toString(36).slice(2, 7)}`;
    await teacherPage.selectOption('#hw-teaching', `${teacher.teaching.class.id}:${teacher.teaching.subject.id}`);
    await teacherPage.fill('#hw-title', title);
    await teacherPage.fill('#hw-due_date', '2026-11-25');
    await teacherPage.setInputFiles('#editor-files', { name: 'fiche.pdf', mimeType: 'application/pdf', buffer: PDF });
    await teacherPage.locator('#hw-form .picked li', { hasText: 'fiche.pdf' }).waitFor();
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('.status-line', { hasText: 'Devoir publié.' }).waitFor();
    const id = await teacherPage.locator('#hw-mine .hw-item', { hasText: title }).getAttribute('data-homework-id');
    await teacherPage.click(`#hw-edit-${id}`);
    await teacherPage.locator('#hw-form .picked a', { hasText: 'fiche.pdf' }).waitFor();
    await teacherPage.fill('#hw-title', `${title} (modifié)`);
    await teacherPage.click('#hw-submit');
    await teacherPage.locator('.status-line', { hasText: 'Devoir modifié.' }).waitFor();
    const saved = await teacherPage.evaluate(async (hid) => (await fetch(`/api/homework/${hid}`)).json(), id);
    assertEqual(saved.attachments?.map((f) => f.name).join(), 'fiche.pdf', 'the attachment survived the edit');
    noProblems(teacherProblems);

    await pupilPage.reload();
    await pupilPage.click(`#hw-open-${id}-0`);
    const link = pupilPage.locator(`#hw-detail-${id}-0 a`, { hasText: 'fiche.pdf' });
    await link.waitFor();
    const [download] = await Promise.all([pupilPage.waitForEvent('download'), link.click()]);
    const path = join(tmp, 'fiche.pdf');
    await download.saveAs(path);
    assert(readFileSync(path).subarray(0, 5).toString() === '%PDF-', 'the pupil downloads the PDF');
    noProblems(pupilProblems);
  });

  await step('class documents: the teacher creates a folder and uploads a PDF into it; the pupil downloads it', async () => {
    assert(teacherPage && pupilPage, 'the teacher and pupil pages exist');
    const key = `${teacher.teaching.class.id}:${teacher.teaching.subject.id}`;
    const folder = `Fiches ${Math.random().toString(36).slice(2, 7)}`;
    await teacherPage.click('#tab-docs');
    await teacherPage.locator('h1', { hasText: 'Documents' }).waitFor();
    await teacherPage.selectOption('#doc-teaching', key);
    await teacherPage.locator('#doc-folder-name').waitFor();
    await teacherPage.fill('#doc-folder-name', folder);
    await teacherPage.click('#doc-folder-create');
    await teacherPage.locator('.status-line', { hasText: 'Dossier créé.' }).waitFor();
    const folderId = await teacherPage.locator('li.folder', { hasText: folder }).getAttribute('data-resource-id');
    await teacherPage.selectOption('#doc-target', folderId);
    await teacherPage.setInputFiles('#doc-file', { name: 'cours.pdf', mimeType: 'application/pdf', buffer: PDF });
    await teacherPage.locator('.status-line', { hasText: 'Document « cours.pdf » déposé.' }).waitFor();
    await teacherPage.locator(`li.folder[data-resource-id="${folderId}"] li.document a`, { hasText: 'cours.pdf' }).waitFor();
    await runAxe(teacherPage, 'teacher documents');
    await teacherPage.setViewportSize({ width: 360, height: 780 });
    await noOverflow(teacherPage, 'teacher documents');
    await teacherPage.setViewportSize({ width: 1280, height: 900 });
    noProblems(teacherProblems);

    await pupilPage.click('#tab-docs');
    await pupilPage.selectOption('#doc-teaching', key);
    await pupilPage.click(`#doc-${folderId}`);
    assertEqual(await pupilPage.getAttribute(`#doc-${folderId}`, 'aria-expanded'), 'true', 'the folder opens');
    assertEqual(await pupilPage.locator('#doc-folder-name').count(), 0, 'a pupil gets no write form');
    const link = pupilPage.locator(`li.folder[data-resource-id="${folderId}"] a`, { hasText: 'cours.pdf' });
    const [download] = await Promise.all([pupilPage.waitForEvent('download'), link.click()]);
    const path = join(tmp, 'cours.pdf');
    await download.saveAs(path);
    assert(readFileSync(path).subarray(0, 5).toString() === '%PDF-', 'the pupil downloads the PDF');
    await runAxe(pupilPage, 'pupil documents');
    await pupilPage.click('#tab-today');
    noProblems(pupilProblems);

    // Rename the document, move it to the top, delete the folder (after its confirmation).
    const docId = await teacherPage.locator('li.document', { hasText: 'cours.pdf' }).getAttribute('data-resource-id');
    await teacherPage.click(`#doc-rename-${docId}`);
    await teacherPage.fill(`#doc-edit-${docId}`, 'chapitre 1.pdf');
    await teacherPage.click(`#doc-save-${docId}`);
    await teacherPage.locator('.status-line', { hasText: 'Renommé.' }).waitFor();
    await teacherPage.click(`#doc-move-${docId}`);
    await teacherPage.selectOption(`#doc-edit-${docId}`, '0');
    await teacherPage.click(`#doc-save-${docId}`);
    await teacherPage.locator('.status-line', { hasText: 'Déplacé.' }).waitFor();
    await teacherPage.locator(`.card > .doc-tree > li.document[data-resource-id="${docId}"]`, { hasText: 'chapitre 1.pdf' }).waitFor();
    await teacherPage.click(`#doc-delete-${folderId}`);
    await teacherPage.click(`#doc-edit-${folderId}`);
    await teacherPage.locator(`li.folder[data-resource-id="${folderId}"]`).waitFor({ state: 'detached' });
    const listing = await teacherPage.evaluate(async (q) => (await fetch(`/api/resources?${q}`)).json(),
      `class_id=${teacher.teaching.class.id}&subject_id=${teacher.teaching.subject.id}`);
    assertEqual(listing.items.map((x) => x.name).join(), 'chapitre 1.pdf', 'the server holds the renamed document alone');
    noProblems(teacherProblems);
  });

  await step('the calendar feed: URL shown, served as text/calendar, reset makes the old one 404', async () => {
    assert(pupilPage, 'the pupil page exists');
    await pupilPage.click('#agenda-link');
    await pupilPage.locator('h1', { hasText: 'Agenda (iCal)' }).waitFor();
    const url = await pupilPage.inputValue('#cal-url');
    assert(url.startsWith(`${baseUrl}/calendar/`) && url.endsWith('.ics'), `an absolute feed URL, got ${url}`);
    const res = await fetch(url);
    assertEqual(res.status, 200, 'the feed answers');
    assert(/text\/calendar/.test(res.headers.get('content-type') ?? ''), 'text/calendar');
    await runAxe(pupilPage, 'calendar view');
    await pupilPage.click('#cal-reset');
    await pupilPage.click('#cal-reset-yes');
    await pupilPage.locator('.status-line', { hasText: 'Nouveau lien' }).waitFor();
    const next = await pupilPage.inputValue('#cal-url');
    assert(next !== url, 'a new URL');
    assertEqual((await fetch(url)).status, 404, 'the old URL is dead');
    assertEqual((await fetch(next)).status, 200, 'the new URL works');
    await pupilPage.goBack();
    await pupilPage.locator('h1', { hasText: 'Aujourd’hui' }).waitFor();
    noProblems(pupilProblems);
  });
}

await run(main);
