#!/usr/bin/env node
// The `roster` command. Sources are TypeScript, loaded through tsx's CommonJS hook so that
// a fresh clone runs without a build step; see docs/decisions.md ("No build step").
'use strict';
require('tsx/cjs/api').register();
// `roster ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
require('../engine/cli/main.ts')
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      // main() turns every user mistake into a coded message; reaching here is a Roster bug.
      console.error('RUNTIME_INTERNAL an unexpected error occurred; please report it with this output:');
      console.error(error?.stack ? error.stack : String(error));
      process.exitCode = 1;
    },
  );
