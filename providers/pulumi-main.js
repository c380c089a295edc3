// Pulumi program entry (see Pulumi.yaml): the compiled program when dist/ is fresh, else the
// TypeScript sources through tsx, as the CLI does.
'use strict';
module.exports = require('../bin/load-engine').loadEngine('providers/pulumi-program').runPulumiProgram();
