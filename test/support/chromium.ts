import { existsSync } from 'node:fs';

/**
 * The Chromium the browser tests drive: `ROSTER_CHROMIUM` (set by .ci/run), else Debian's
 * `/usr/bin/chromium`; undefined when neither is there, and the browser tests skip, saying so.
 */
export function tryGetChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const candidate of [env.ROSTER_CHROMIUM, '/usr/bin/chromium'])
    if (candidate && existsSync(candidate)) return candidate;
  return undefined;
}

/** Headless, no sandbox (CI runs as root), nothing phoned home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--no-first-run',
  '--metrics-recording-only',
  '--disable-dev-shm-usage',
];
