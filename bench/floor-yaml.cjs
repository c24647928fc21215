// The floor: the `yaml` library's own round trip of the same text with the Document
// API (comments and layout kept), one parse and one stringify per document, written
// to stdout. Anything that edits YAML with `yaml` and keeps comments does at least this.
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const { parseAllDocuments } = require('yaml');

const text = readFileSync(process.argv[2], 'utf8');
const out = parseAllDocuments(text).map((doc) => String(doc));
writeSync(1, out.join('---\n'));
