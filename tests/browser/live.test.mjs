#!/usr/bin/env node
// End-to-end test of the live lesson (docs/live.md) against a real `cartable demo` server, in
// Debian's Chromium. Same harness as day.test.mjs and workspace.test.mjs.
//
//   npm ci --prefix tests/browser
//   node tests/browser/live.test.mjs --server build/release/cartable [--chromium /usr/bin/chromium]
//
// A teacher and two pupils of one class, each in their own browser context (own cookies):
//  0. the teacher opens the class's lobby with a message; a pupil who comes early waits there, sees it,
//     and is let into the lesson when the teacher starts it;
//  1. the second pupil joins from the day view; all see three people;
//  2. a chat line from a pupil reaches all three;
//  3. a raised hand reaches the teacher, who gives the floor;
//  4. a stroke drawn by the teacher with the mouse reaches both pupils' boards;
//  5. a poll: a pupil answers, the teacher sees the count; closed, the pupil sees the results;
//  6. moderation: a chat line deleted, a pupil muted;
//  6b. slides: the teacher uploads a (generated) three-page PDF and shows it; both pupils see the page
//     rendered, then page 2 (button) and 3 (arrow key); the teacher's laser moves on their screens;
//  7. a pupil of another class cannot join (API 404, socket refused, UI says no lesson for them);
//  8. the teacher ends the lesson and the pupils are told.
// axe-core runs on the lesson view (teacher and pupil). Last line: "N passed, N failed".
import { join } from 'node:path';
import {
  init, run, notRun, step, assert, assertEqual, startServer, launchBrowser, apiSignIn, apiSignOut,
  apiJson, runAxe, watch, noProblems, newPage, signInUi, noOverflow, UI_TIMEOUT_MS, tmp, baseUrl,
  accounts
} from './harness.mjs';

init({ script: 'live.test.mjs', tmpPrefix: 'cartable-live-' });

// A PDF whose pages are filled with one colour each (no fonts: nothing to fetch), built with a
// correct cross-reference table.
function colourPdf(colours) {
  const objects = [null, '<< /Type /Catalog /Pages 2 0 R >>'];
  objects[2] = `<< /Type /Pages /Kids [${colours.map((_, i) => `${3 + 2 * i} 0 R`).join(' ')}] /Count ${colours.length} >>`;
  colours.forEach(([r, g, b], i) => {
    const content = `${r} ${g} ${b} rg 0 0 400 300 re f`;
    objects[3 + 2 * i] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Contents ${4 + 2 * i} 0 R >>`;
    objects[4 + 2 * i] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });
  let out = '%PDF-1.4\n';
  const offsets = [];
  for (let i = 1; i < objects.length; i++) {
    offsets.push(out.length);
    out += `${i} 0 obj\n${objects[i]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// The colour at the middle of the slide a page shows, with the page number it says it rendered.
function slideSeen() {
  const c = document.querySelector('#slides-canvas');
  if (!c || !c.dataset.page || !c.width) return null;
  const [r, g, b] = c.getContext('2d').getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
  return { page: Number(c.dataset.page), colour: r > 200 && g < 80 ? 'red' : g > 100 && r < 80 ? 'green' : b > 200 && r < 80 ? 'blue' : `${r},${g},${b}` };
}

// ---------------------------------------------------------------- the test

let teacher = null; // { account, classId, className }
let pupils = []; // accounts of two pupils of the class
let outsider = null; // a pupil of another class
const pages = {}; // name -> { page, problems, id }

// Every page (teacher, pupil1, pupil2) sees `fn` become true.
async function allSee(names, fn, arg, label) {
  for (const n of names) {
    try {
      await pages[n].page.waitForFunction(fn, arg, { timeout: UI_TIMEOUT_MS });
    } catch (e) {
      throw new Error(`${n} did not see ${label}: ${e.message.split('\n')[0]}`);
    }
  }
}

async function open(name, account) {
  const { page } = await newPage();
  const problems = watch(page, name);
  await signInUi(page, account.login, account.password);
  await page.locator('#sign-out').waitFor();
  const id = await page.evaluate(async () => (await (await fetch('/api/me')).json()).user.id);
  pages[name] = { page, problems, id };
  return page;
}

async function main() {
  let up = false;
  await step('server starts; a teacher, two pupils of their class and a pupil of another class are found', async () => {
    await startServer();
    const teachers = accounts.filter((a) => a.role === 'teacher');
    for (const a of teachers.slice(0, 30)) {
      const s = await apiSignIn(a.login, a.password);
      await apiSignOut(s);
      const tc = (s.me.teaching ?? []).find((x) => accounts.filter((p) => p.role === 'pupil' && p.class === x.class.name && p.school === a.school).length >= 2);
      if (tc) {
        teacher = { account: a, classId: tc.class.id, className: tc.class.name };
        pupils = accounts.filter((p) => p.role === 'pupil' && p.class === tc.class.name && p.school === a.school).slice(0, 2);
        outsider = accounts.find((p) => p.role === 'pupil' && p.school === a.school && p.class && p.class !== tc.class.name);
        break;
      }
    }
    assert(teacher && pupils.length === 2 && outsider, 'found a teacher, two pupils of their class and an outsider');
    console.log(`#   teacher ${teacher.account.login} (${teacher.className}), pupils ${pupils.map((p) => p.login).join(', ')}, outsider ${outsider.login} (${outsider.class})`);
    await launchBrowser();
    up = true;
  });

  const names = ['lobby', 'start and join', 'chat', 'hand and floor', 'whiteboard', 'poll', 'moderation', 'slides and laser', 'axe and 360 px', 'outsider refused', 'end'];
  if (!up) {
    notRun(names);
    return;
  }

  await step('a pupil who comes early waits in the lobby with the teacher\'s message, and is let in when the lesson starts', async () => {
    const tp = await open('teacher', teacher.account);
    await tp.evaluate(() => { location.hash = '#direct'; });
    await tp.fill(`#lobby-message-${teacher.classId}`, 'On commence dans deux minutes.');
    await tp.click(`#lobby-open-${teacher.classId}`);
    await tp.locator('#lobby-notice').waitFor();
    const pp = await open('pupil1', pupils[0]);
    await pp.click('#day-live-join');
    await pp.locator('#lobby-message').waitFor();
    assertEqual(await pp.locator('#lobby-message').innerText(), 'On commence dans deux minutes.', 'the teacher\'s message');
    assert(/pas encore commencé/.test(await pp.locator('#lobby-status').innerText()), 'the lobby says the lesson has not started');
    await runAxe(pp, 'lobby (pupil)');
    await tp.click(`#live-start-${teacher.classId}`);
    await tp.locator('#chat-form').waitFor();
    await pp.locator('#chat-form').waitFor();
    noProblems(pages.pupil1.problems);
  });

  await step('the teacher runs the lesson; the second pupil joins from the day view; all see three people', async () => {
    const tp = pages.teacher.page;
    assertEqual(await tp.evaluate(() => location.hash), '#direct', 'the live tab is in the URL');
    const pp = await open('pupil2', pupils[1]);
    await pp.click('#day-live-join');
    await pp.locator('#chat-form').waitFor();
    await allSee(['teacher', 'pupil1', 'pupil2'], () => document.querySelectorAll('#people li').length === 3, null, 'three people');
    const role = await tp.locator(`#people li[data-user-id="${pages.pupil1.id}"]`).innerText();
    assert(/élève/.test(role), `the pupil is listed with their role, got "${role}"`);
  });

  await step('a chat line from a pupil is seen by all three', async () => {
    const pp = pages.pupil1.page;
    await pp.fill('#chat-text', 'Bonjour la classe !');
    await pp.click('#chat-send');
    await allSee(['teacher', 'pupil1', 'pupil2'], () => [...document.querySelectorAll('#chat-log p .text')].some((x) => x.textContent === 'Bonjour la classe !'), null, 'the chat line');
    assertEqual(await pp.inputValue('#chat-text'), '', 'the field is emptied');
  });

  await step('a raised hand is seen by the teacher, who gives the floor', async () => {
    const p2 = pages.pupil2;
    await p2.page.click('#hand');
    await p2.page.locator('#hand[aria-pressed="true"]').waitFor();
    const tp = pages.teacher.page;
    await tp.locator(`#hands li[data-user-id="${p2.id}"]`).waitFor();
    await tp.click(`#floor-${p2.id}`);
    await p2.page.locator('#floor').waitFor();
    await tp.locator('#hands li').waitFor({ state: 'detached' });
    noProblems(pages.teacher.problems);
  });

  await step('a stroke drawn by the teacher reaches both pupils', async () => {
    const tp = pages.teacher.page;
    await tp.click('#pen-c62828');
    const box = await tp.locator('#board').boundingBox();
    await tp.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
    await tp.mouse.down();
    for (let i = 1; i <= 20; i++) await tp.mouse.move(box.x + box.width * (0.2 + i * 0.03), box.y + box.height * (0.3 + i * 0.01));
    await tp.mouse.up();
    await allSee(['teacher', 'pupil1', 'pupil2'], () => Number(document.querySelector('#board')?.dataset.strokes) >= 1, null, 'the stroke');
    // And the pixels: red ink where the line went.
    const red = await pages.pupil1.page.evaluate(() => {
      const c = document.querySelector('#board');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] > 150 && d[i + 1] < 100) n++;
      return n;
    });
    assert(red > 50, `red pixels on the pupil's board, got ${red}`);
    assertEqual(await pages.pupil1.page.locator('#board-clear').count(), 0, 'a pupil has no board tools');
  });

  await step('a poll: a pupil answers, the teacher sees the count; closed, the pupil sees the results', async () => {
    const tp = pages.teacher.page;
    await tp.click('#poll-submit');
    await tp.locator('#poll-error', { hasText: 'de 2 à 10 choix' }).waitFor();
    await tp.fill('#poll-q', 'Avez-vous compris ?');
    await tp.fill('#poll-choices', 'Oui\nNon\nUn peu');
    await tp.click('#poll-submit');
    const poll = tp.locator('.poll', { hasText: 'Avez-vous compris ?' });
    await poll.waitFor();
    const pid = await poll.getAttribute('data-poll-id');
    const pp = pages.pupil1.page;
    await pp.locator(`#poll-${pid}-2`).waitFor();
    await pp.check(`#poll-${pid}-2`);
    await tp.locator(`#poll-${pid} .count[data-choice="2"]`, { hasText: '1' }).waitFor();
    await tp.locator(`#poll-${pid}-answers`, { hasText: '1 réponse' }).waitFor();
    await tp.click(`#poll-close-${pid}`);
    await pp.locator(`#poll-${pid} .count[data-choice="2"]`, { hasText: '1' }).waitFor();
    await pages.pupil2.page.locator(`#poll-${pid} .badge`, { hasText: 'clos' }).waitFor();
  });

  await step('moderation: the teacher deletes a chat line and mutes a pupil', async () => {
    const tp = pages.teacher.page;
    const seq = await tp.locator('#chat-log p', { hasText: 'Bonjour la classe !' }).getAttribute('data-seq');
    await tp.click(`#del-${seq}`);
    await allSee(['teacher', 'pupil1', 'pupil2'], (s) => !document.querySelector(`#chat-log p[data-seq="${s}"]`), seq, 'the line deleted');
    await tp.click(`#mute-${pages.pupil1.id}`);
    await pages.pupil1.page.locator('#muted-note').waitFor();
    await tp.locator(`#people li[data-user-id="${pages.pupil1.id}"] .badge`, { hasText: 'en sourdine' }).waitFor();
    await tp.click(`#mute-${pages.pupil1.id}`);
    await pages.pupil1.page.locator('#chat-form').waitFor();
    for (const n of ['teacher', 'pupil1', 'pupil2']) noProblems(pages[n].problems);
  });

  await step('slides: the teacher shows a PDF and turns its pages; both pupils see them, and the laser', async () => {
    const tp = pages.teacher.page;
    assertEqual(await pages.pupil1.page.locator('#slides-file').count(), 0, 'a pupil cannot show slides');
    await pages.pupil1.page.locator('#slides-none').waitFor();
    await tp.setInputFiles('#slides-file', { name: 'cours.pdf', mimeType: 'application/pdf', buffer: colourPdf([[0, 0, 1], [0, 0.6, 0], [1, 0, 0]]) });
    const sees = (page, colour) => allSee(['teacher', 'pupil1', 'pupil2'], ([p, c]) => {
      const canvas = document.querySelector('#slides-canvas');
      if (!canvas || canvas.dataset.page !== String(p) || !canvas.width) return false;
      const [r, g, b] = canvas.getContext('2d').getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data;
      return c === 'red' ? r > 200 && g < 80 : c === 'green' ? g > 100 && r < 80 : b > 200 && r < 80;
    }, [page, colour], `page ${page} (${colour})`);
    await sees(1, 'blue');
    await pages.pupil2.page.locator('#slides-page-label', { hasText: 'page 1 sur 3' }).waitFor();
    await tp.click('#slides-next');
    await sees(2, 'green');
    await tp.focus('#slides-stage');
    await tp.keyboard.press('ArrowRight');
    await sees(3, 'red');
    await pages.pupil1.page.locator('#slides-page-label', { hasText: 'page 3 sur 3' }).waitFor();
    assert(await tp.locator('#slides-next').isDisabled(), 'no page after the last');
    console.log(`#   pupil2 sees ${JSON.stringify(await pages.pupil2.page.evaluate(slideSeen))}`);

    // The laser: the teacher's mouse over the page, in page coordinates (0..10000) on every screen.
    const box = await tp.locator('#slides-canvas').boundingBox();
    for (let i = 0; i <= 10; i++) await tp.mouse.move(box.x + box.width * (0.1 + i * 0.05), box.y + box.height * 0.25);
    await allSee(['pupil1', 'pupil2'], () => {
      const [x, y] = (document.querySelector('#slides-laser')?.dataset.laser || '-1,-1').split(',').map(Number);
      return Math.abs(x - 6000) < 300 && Math.abs(y - 2500) < 300;
    }, null, 'the laser at the last position');
    await tp.mouse.move(box.x + box.width / 2, box.y + box.height + 150);
    await allSee(['pupil1', 'pupil2'], () => document.querySelector('#slides-laser')?.dataset.laser === '', null, 'the laser off');
    for (const n of ['teacher', 'pupil1', 'pupil2']) noProblems(pages[n].problems);
  });

  await step('axe finds nothing serious on the lesson view; it fits a 360 px phone', async () => {
    await runAxe(pages.teacher.page, 'lesson view (teacher)');
    await runAxe(pages.pupil1.page, 'lesson view (pupil)');
    const pp = pages.pupil2.page;
    await pp.setViewportSize({ width: 360, height: 780 });
    await pp.waitForFunction(() => document.querySelector('#board').width > 0);
    // The slide is drawn again at the phone's width.
    await pp.waitForFunction(() => { const c = document.querySelector('#slides-canvas'); return c.width > 0 && c.width <= 360 * devicePixelRatio; });
    await pp.screenshot({ path: join(tmp, 'live-360.png'), fullPage: true });
    await noOverflow(pp, 'lesson view');
    await pages.teacher.page.setViewportSize({ width: 360, height: 780 });
    await noOverflow(pages.teacher.page, 'lesson view (teacher)');
    await pages.teacher.page.screenshot({ path: join(tmp, 'live-teacher-360.png'), fullPage: true });
    await pages.teacher.page.setViewportSize({ width: 1280, height: 900 });
  });

  await step('a pupil of another class cannot join: the API says 404, the socket is refused, the UI says so', async () => {
    const s = await apiSignIn(outsider.login, outsider.password);
    const res = await fetch(`${baseUrl}/api/live/join`, {
      method: 'POST',
      headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ class_id: teacher.classId }),
    });
    assertEqual(res.status, 404, 'POST /api/live/join for another class');
    await apiSignOut(s);
    const op = await open('outsider', outsider);
    const ts = await apiSignIn(teacher.account.login, teacher.account.password);
    const roomUrl = (await apiJson(ts, 'POST', '/api/live/join', { class_id: teacher.classId })).url;
    await apiSignOut(ts);
    {
      const opened = await op.evaluate(
        (u) =>
          new Promise((done) => {
            const ws = new WebSocket(`ws://${location.host}${u}`);
            ws.onopen = () => done(true);
            ws.onerror = ws.onclose = () => done(false);
            setTimeout(() => done(false), 5000);
          }),
        roomUrl,
      );
      assertEqual(opened, false, 'the socket of the lesson refuses an outsider');
    }
    await op.goto(`${baseUrl}/#direct`);
    await op.locator('[id^="live-join-"]').first().click();
    await op.locator('#live-error', { hasText: 'Aucun cours en direct' }).waitFor();
    assertEqual(await op.locator('#chat-form').count(), 0, 'no lesson view');
    await runAxe(op, 'live tab with a refusal');
    noProblems(pages.outsider.problems.filter((p) => !/WebSocket|status of 404|status of 403/.test(p)));
  });

  await step('the teacher ends the lesson; the pupils are told', async () => {
    const tp = pages.teacher.page;
    await tp.click('#live-end');
    await tp.click('#live-end-yes');
    await allSee(['teacher', 'pupil1', 'pupil2'], () => !!document.querySelector('#live-ended'), null, 'the end');
    await pages.pupil1.page.click('[id^="live-join-"]');
    await pages.pupil1.page.locator('#live-error', { hasText: 'Aucun cours en direct' }).waitFor();
    for (const n of ['teacher', 'pupil2']) noProblems(pages[n].problems);
  });
}

await run(main);
