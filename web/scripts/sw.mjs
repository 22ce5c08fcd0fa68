#!/usr/bin/env node
// Post-build step (before precompress.mjs): writes dist/sw.js, the service worker of src/sw.js
// preceded by the build's shell: index.html, favicon.svg and every hashed asset but PDF.js (1.6 MB,
// fetched only when a live lesson shows slides), and a version that changes with any of them, so a
// new build installs a new worker that drops the old shell.
//
// Usage: node scripts/sw.mjs [distDir]   (default: ../dist next to this script)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.argv[2] ?? join(here, '..', 'dist'));
const NOT_PRECACHED = /^assets\/pdf[.-]/;

const files = ['index.html', 'favicon.svg'];
try {
  for (const name of readdirSync(join(dist, 'assets')).sort()) {
    const rel = `assets/${name}`;
    if (!/\.(gz|br)$/.test(name) && !NOT_PRECACHED.test(rel)) files.push(rel);
  }
} catch (e) {
  console.error(`sw: cannot read ${dist}/assets: ${e.message}; run vite build first`);
  process.exit(1);
}

const template = readFileSync(join(here, '..', 'src', 'sw.js'), 'utf8');
const hash = createHash('sha256').update(template);
for (const f of files) hash.update(f).update(readFileSync(join(dist, f)));
const version = hash.digest('hex').slice(0, 12);
const shell = JSON.stringify(files.map((f) => `/${f}`));
// Whole-line comments are for the source only (every browser downloads the worker).
const code = template
  .split('\n')
  .filter((line) => !/^\s*(\/\/|\/\*.*\*\/\s*$)/.test(line))
  .join('\n');
writeFileSync(join(dist, 'sw.js'), `const VERSION = '${version}';\nconst SHELL = ${shell};\n${code}`);
console.log(`sw: dist/sw.js version ${version}, ${files.length} files precached`);
