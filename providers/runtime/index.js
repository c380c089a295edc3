// Entry of the provider runtime for code that cannot import TypeScript by itself: the Pulumi
// dynamic-provider host loads this (through `roster/provider-runtime` or the project path).
'use strict';
require('tsx/cjs/api').register();
module.exports = require('./provider-runtime.ts');
