// Test harness, loaded with `node -r` in front of a bundled executable: the Nth rename of a
// temporary file (FAIL_RENAME_NTH) fails with EIO, as a disk going read-only mid-run would.
const fs = require('node:fs');

const realRename = fs.renameSync;
const nth = Number(process.env.FAIL_RENAME_NTH);
let count = 0;

fs.renameSync = function renameSync(from, to) {
  if (String(from).endsWith('.tmp') && ++count === nth) {
    const error = new Error(`EIO: i/o error, rename '${from}' -> '${to}'`);
    error.code = 'EIO';
    throw error;
  }
  return realRename.call(fs, from, to);
};
