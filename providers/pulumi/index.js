// Entry of `roster-cdp/pulumi` (package.json `exports`): the compiled module when dist/ is fresh
// (always in an installed package), else the TypeScript sources. Types: dist/providers/pulumi/roster-pulumi.d.ts.
'use strict';
module.exports = require('../../bin/load-engine').loadEngine('providers/pulumi/roster-pulumi');
