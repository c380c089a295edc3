#!/usr/bin/env node
// Runs a TypeScript script of this repository (generators, benchmarks) without a build step,
// as the main module (so `require.main === module` holds in the script).
'use strict';
const path = require('node:path');
const Module = require('node:module');
require('tsx/cjs/api').register();
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node bin/run-ts.js SCRIPT.ts [ARGS...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(script), ...args];
Module.runMain();
