// Decides what the `roster` command and the provider runtime load: the compiled JavaScript in
// dist/ when it is there and not older than any source, else the TypeScript sources through tsx
// (a fresh clone, or a source edited since the last build). An installed package ships dist/
// only, so it never compiles anything. See docs/decisions.md 49.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
/** Folders whose files are compiled into dist/ (or copied there, for the migrations and the console's assets). */
const SOURCE_DIRS = ['engine', 'providers', path.join('schemas', 'v1'), path.join('examples', 'acme')];
/** What the build reads from them; an edited resource file (YAML) does not make dist/ stale. */
const BUILT_EXTENSIONS = new Set(['.ts', '.json', '.sql', '.css', '.js']);

/** Loads `relative` (a module path under the package root, without extension) and returns its exports. */
function loadEngine(relative) {
  if (useCompiled()) return require(path.join(root, 'dist', `${relative}.js`));
  registerTsx();
  return require(path.join(root, `${relative}.ts`));
}

function registerTsx() {
  try {
    require('tsx/cjs/api').register();
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error;
    console.error(
      'RUNTIME_BUILD dist/ is missing or older than the sources, and tsx (a dev dependency) is not installed; run `npm run build`, or `npm install` to run the sources',
    );
    process.exit(1);
  }
}

function useCompiled() {
  if (!fs.existsSync(path.join(root, 'engine', 'cli', 'main.ts'))) return true; // installed: no sources
  const stamp = fs.statSync(path.join(root, 'dist', 'build-stamp'), { throwIfNoEntry: false });
  return stamp !== undefined && !SOURCE_DIRS.some((dir) => hasNewerFile(path.join(root, dir), stamp.mtimeMs));
}

function hasNewerFile(dir, since) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'data' || entry.name === 'node_modules') continue; // generated example data
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (hasNewerFile(full, since)) return true;
    } else if (BUILT_EXTENSIONS.has(path.extname(entry.name)) && fs.statSync(full).mtimeMs > since) return true;
  }
  return false;
}

module.exports = { loadEngine, useCompiled };
