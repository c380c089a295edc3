// Entry of the provider runtime for code that cannot import TypeScript by itself: the Pulumi
// dynamic-provider host loads this (through `roster-cdp/provider-runtime` or the project path).
// The compiled runtime when dist/ is fresh (always in an installed package), else the sources.
'use strict';
module.exports = require('../../bin/load-engine').loadEngine('providers/runtime/provider-runtime');
