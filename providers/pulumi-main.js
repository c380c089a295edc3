// Pulumi program entry (see Pulumi.yaml): TypeScript sources are loaded through tsx, as the CLI does.
'use strict';
require('tsx/cjs/api').register();
module.exports = require('./pulumi-program.ts').runPulumiProgram();
