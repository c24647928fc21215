// For reference: JSON.parse and JSON.stringify of the same resources as JSON.
'use strict';
const { readFileSync, writeSync } = require('node:fs');

writeSync(1, JSON.stringify(JSON.parse(readFileSync(process.argv[2], 'utf8')), null, 2));
