/**
 * Browser tests need a Chromium on the machine: Playwright cannot download its own here. Fail at once with
 * one line that says how to get it, rather than with a launch stack trace.
 */
import { accessSync, constants } from 'node:fs';

export default function globalSetup(): void {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`Chromium not found at ${path}: install it with "apt-get install -y chromium" (Debian) or set CHROMIUM_PATH.`);
  }
}
