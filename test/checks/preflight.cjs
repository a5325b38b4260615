#!/usr/bin/env node
/**
 * What `npm test` needs beyond `npm install`, checked before anything runs, so a missing system package is
 * named in one line that says how to get it rather than found as a stack trace minutes later.
 *
 * - Chromium: Playwright cannot download its own browser here; the browser tests use Debian's.
 * - @forge/lint (the offline scope check): an optional dependency, because its keytar builds only where
 *   libsecret-1-dev is installed. Without that package `npm install` skips @forge/lint instead of failing.
 */
'use strict';
const { accessSync, constants } = require('node:fs');

const missing = [];
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
try {
  accessSync(chromium, constants.X_OK);
} catch {
  missing.push(`Chromium not found at ${chromium} (browser tests): run "sudo apt-get install -y chromium" or set CHROMIUM_PATH.`);
}
try {
  require.resolve('@forge/lint');
  require.resolve('keytar');
} catch {
  missing.push('@forge/lint is not installed (scope checks; its keytar needs libsecret-1-dev): run "sudo apt-get install -y libsecret-1-dev && npm install".');
}
for (const line of missing) console.error(`npm test: ${line}`);
process.exit(missing.length === 0 ? 0 : 1);
