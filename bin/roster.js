#!/usr/bin/env node
// The `roster` command: the compiled engine in dist/ (always, in an installed package), or the
// TypeScript sources through tsx in a clone whose dist/ is missing or stale; see docs/decisions.md 49.
'use strict';
// `roster ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
require('./load-engine')
  .loadEngine('engine/cli/main')
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
