#!/usr/bin/env node
// Compiles the TypeScript sources into dist/ (what the published package runs; `npm pack` calls
// this through `prepack`), copies the SQL migrations next to the code that reads them, and
// stamps the build so bin/roster.js can tell a fresh dist/ from a stale one.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
// The stamp carries the time the build started: a source edited during the build counts as newer.
const startedAt = new Date();
fs.rmSync(dist, { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build failed: tsc reported the errors above; dist/ is incomplete');
  process.exit(1);
}
fs.cpSync(path.join(root, 'engine', 'runtime', 'migrations'), path.join(dist, 'engine', 'runtime', 'migrations'), {
  recursive: true,
});
const stamp = path.join(dist, 'build-stamp');
fs.writeFileSync(stamp, `${startedAt.toISOString()}\n`);
fs.utimesSync(stamp, startedAt, startedAt);
console.log(`dist/ built (${path.relative(process.cwd(), dist) || '.'})`);
