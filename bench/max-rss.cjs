// Preloaded (NODE_OPTIONS=--require) into Node children when /usr/bin/time is missing:
// writes "peakRssKB userSeconds systemSeconds" like `/usr/bin/time -f '%M %U %S'` does.
'use strict';
const { appendFileSync } = require('node:fs');

const target = process.env.RETARGET_BENCH_STATS;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const line = `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`;
    appendFileSync(target, line);
  });
}
