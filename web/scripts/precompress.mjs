#!/usr/bin/env node
// Post-build step: writes <file>.gz (gzip -9) and <file>.br (brotli, quality 11) next to every file
// of dist/, so the server can send the encoding a client accepts without compressing at run time.
// Then prints the sizes and fails when the shipped JS+CSS exceed the budget once gzipped.
//
// Usage: node scripts/precompress.mjs [distDir]   (default: ../dist next to this script)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.argv[2] ?? join(here, '..', 'dist'));
const BUDGET_GZIP_BYTES = 50 * 1024; // JS + CSS, gzipped
// PDF.js, loaded only when a live lesson shows slides (web/src/slides.ts): third-party code that no
// other page fetches, so it is reported apart and kept out of the app's budget. Its worker is an
// .mjs asset (not counted either way).
const ON_DEMAND_VENDOR = /^assets\/pdf-[\w-]+\.js$/;
// The service worker (scripts/sw.mjs): fetched by the browser beside the page, once per build, never
// by the page itself; reported apart with a budget of its own.
const WORKER = 'sw.js';
const WORKER_BUDGET_GZIP_BYTES = 4 * 1024;

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else if (entry.isFile() && !/\.(gz|br)$/.test(entry.name)) yield p;
  }
}

let files;
try {
  files = [...walk(dist)].sort();
} catch (e) {
  console.error(`precompress: cannot read ${dist}: ${e.message}`);
  process.exit(1);
}
if (!files.some((f) => f.endsWith('index.html'))) {
  console.error(`precompress: ${dist} has no index.html; run vite build first`);
  process.exit(1);
}

// The server's CSP (script-src 'self'; style-src 'self') blocks anything inline: refuse to ship it.
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const inline = [
  ...[...html.matchAll(/<script\b[^>]*>/gi)].filter((m) => !/\ssrc=/i.test(m[0])).map((m) => m[0]),
  ...[...html.matchAll(/<style\b[^>]*>/gi)].map((m) => m[0]),
  ...[...html.matchAll(/\sstyle\s*=/gi)].map((m) => m[0].trim()),
  ...[...html.matchAll(/\son[a-z]+\s*=/gi)].map((m) => m[0].trim()),
];
if (inline.length) {
  console.error(`precompress: dist/index.html has inline code the CSP would block: ${inline.join(', ')}`);
  process.exit(1);
}

const rows = [];
let jsCssRaw = 0;
let jsCssGz = 0;
let jsCssBr = 0;
let vendorGz = 0;
let workerGz = 0;
for (const file of files) {
  const data = readFileSync(file);
  const gz = gzipSync(data, { level: 9 });
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: /\.(woff2?|png|jpe?g|webp|avif)$/.test(file)
        ? constants.BROTLI_MODE_GENERIC
        : constants.BROTLI_MODE_TEXT,
    },
  });
  writeFileSync(`${file}.gz`, gz);
  writeFileSync(`${file}.br`, br);
  const rel = relative(dist, file);
  rows.push([rel, data.length, gz.length, br.length]);
  if (ON_DEMAND_VENDOR.test(rel.split('\\').join('/'))) {
    vendorGz += gz.length;
  } else if (rel === WORKER) {
    workerGz = gz.length;
  } else if (/\.(js|css)$/.test(file)) {
    jsCssRaw += data.length;
    jsCssGz += gz.length;
    jsCssBr += br.length;
  }
}

const pad = (s, n) => String(s).padStart(n);
const width = Math.max(...rows.map((r) => r[0].length), 4);
console.log(`precompress: ${rows.length} files in ${relative(process.cwd(), dist) || '.'}`);
console.log(`${'file'.padEnd(width)} ${pad('raw', 8)} ${pad('gzip', 8)} ${pad('brotli', 8)}`);
for (const [rel, raw, gz, br] of rows) console.log(`${rel.padEnd(width)} ${pad(raw, 8)} ${pad(gz, 8)} ${pad(br, 8)}`);
console.log(
  `JS+CSS: ${jsCssRaw} B raw, ${jsCssGz} B gzip (${(jsCssGz / 1024).toFixed(1)} KiB), ${jsCssBr} B brotli; budget ${BUDGET_GZIP_BYTES} B gzip`,
);
console.log(`PDF.js on demand (not in the budget): ${vendorGz} B gzip`);
console.log(`service worker: ${workerGz} B gzip; budget ${WORKER_BUDGET_GZIP_BYTES} B gzip`);
if (workerGz > WORKER_BUDGET_GZIP_BYTES) {
  console.error(`precompress: ${WORKER} gzip size ${workerGz} B is over its budget of ${WORKER_BUDGET_GZIP_BYTES} B`);
  process.exit(1);
}
if (jsCssGz > BUDGET_GZIP_BYTES) {
  console.error(`precompress: JS+CSS gzip size ${jsCssGz} B is over the budget of ${BUDGET_GZIP_BYTES} B`);
  process.exit(1);
}
