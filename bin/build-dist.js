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
// Built beside dist/ and swapped in at the end: a `roster` running meanwhile (tests run in
// parallel with `npm pack`) never sees a half-written dist/.
const next = path.join(root, `dist.building-${process.pid}`);
// The stamp carries the time the build started: a source edited during the build counts as newer.
const startedAt = new Date();
fs.rmSync(next, { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
const tsconfig = path.join(root, 'tsconfig.build.json');
const compiled = spawnSync(process.execPath, [tsc, '-p', tsconfig, '--outDir', next], { stdio: 'inherit' });
if (compiled.status !== 0) {
  fs.rmSync(next, { recursive: true, force: true });
  console.error('build failed: tsc reported the errors above; dist/ was left as it was');
  process.exit(1);
}
// Type declarations of `roster-cdp/pulumi` only (what a user's TypeScript program reads), not of the whole engine.
const declarations = `${next}.types`;
const typesConfig = path.join(root, 'tsconfig.types.json');
const typed = spawnSync(process.execPath, [tsc, '-p', typesConfig, '--outDir', declarations], { stdio: 'inherit' });
if (typed.status !== 0) {
  fs.rmSync(next, { recursive: true, force: true });
  fs.rmSync(declarations, { recursive: true, force: true });
  console.error('build failed: tsc reported the errors above in the declarations; dist/ was left as it was');
  process.exit(1);
}
copyReachableDeclarations(declarations, path.join('providers', 'pulumi', 'roster-pulumi.d.ts'), next);
fs.rmSync(declarations, { recursive: true, force: true });
fs.cpSync(path.join(root, 'engine', 'runtime', 'migrations'), path.join(next, 'engine', 'runtime', 'migrations'), {
  recursive: true,
});
// The console's stylesheet and chart script are served as files, from beside the compiled console.
fs.cpSync(
  path.join(root, 'engine', 'server', 'console', 'assets'),
  path.join(next, 'engine', 'server', 'console', 'assets'),
  {
    recursive: true,
  },
);
// The schema validators as generated code, so the package never compiles schemas at start-up.
const config = path.join(next, 'engine', 'config');
const { precompiledValidatorsSource } = require(path.join(config, 'precompiled-validators-source.js'));
const { PRECOMPILED_VALIDATORS_FILE } = require(path.join(config, 'schema-validator.js'));
fs.writeFileSync(path.join(config, PRECOMPILED_VALIDATORS_FILE), precompiledValidatorsSource());
const stamp = path.join(next, 'build-stamp');
fs.writeFileSync(stamp, `${startedAt.toISOString()}\n`);
fs.utimesSync(stamp, startedAt, startedAt);
const old = path.join(root, `dist.old-${process.pid}`);
if (fs.existsSync(dist)) fs.renameSync(dist, old);
fs.renameSync(next, dist);
fs.rmSync(old, { recursive: true, force: true });
console.log(`dist/ built (${path.relative(process.cwd(), dist) || '.'})`);

/** Copies `entry` and the declaration files it imports by relative path, transitively, from `from` to `to`. */
function copyReachableDeclarations(from, entry, to) {
  const pending = [entry];
  const seen = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(path.join(from, file), 'utf8');
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.writeFileSync(path.join(to, file), text);
    for (const match of text.matchAll(/(?:from |import\()['"](\.{1,2}\/[^'"]+)['"]/g)) {
      pending.push(path.join(path.dirname(file), `${match[1]}.d.ts`));
    }
  }
}
