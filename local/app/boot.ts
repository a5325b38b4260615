/**
 * Starts the app on the local Forge platform: a Jira site emulator loaded from a site file, the runtime
 * seams, and the site's destinations seeded into the app's storage. The CLI, the server, the tests and the
 * benchmark all boot here.
 */
import { MODULE_KEYS } from '../../src/contract';
import { createJiraEmulator, loadSite, type EmulatorOptions, type JiraSiteEmulator, type Site } from '../jira';
import { createLocalPlatform, readManifest, type LocalPlatform } from '../platform';
import type { Manifest } from '../platform/manifest';
import { historySteps, seedBaselines, seedDestinations, seedHistory } from './seed';

/** The environment id the runtime seams report; the emulated field's ARI must name the same one. */
export const LOCAL_ENVIRONMENT_ID = '00000000-0000-4000-8000-0000000e0001';

export interface BootOptions {
  /** A site object or the path of a site file. */
  site: unknown;
  root?: string;
  timeScale?: number;
  /** Real ms per storage call (default 20, see `LocalPlatformOptions.storageLatencyMs`). */
  storageLatencyMs?: number;
  log?: (message: string, error?: unknown) => void;
  /** False: start even when a handler the manifest names cannot be loaded (the call that needs it fails). */
  strictHandlers?: boolean;
  /** False: return once the app is installed, its first recalculation still running (`platform.settle()` ends it). */
  settle?: boolean;
  /** Settle only work due within this many Forge seconds (see `LocalPlatform.settle`); default: all of it. */
  settleHorizonSeconds?: number;
}

/**
 * What the local server waits for when it boots or saves a field: work due within 30 Forge seconds (events,
 * the compaction they ask for). A delayed background task (the portfolio outline, a minute after a rebuild)
 * runs on its own when due, as on a Forge site, instead of holding the server back for a real minute.
 */
export const SETTLE_HORIZON_SECONDS = 30;

export interface LocalApp {
  site: Site;
  jira: JiraSiteEmulator;
  platform: LocalPlatform;
  manifest: Manifest;
  close(): void;
}

/** Loads a site (object or file) into a Jira emulator that hosts the app's field as `app` describes it. */
export function bootJira(input: unknown, app: EmulatorOptions): { site: Site; jira: JiraSiteEmulator } {
  const site = loadSite(input);
  return { site, jira: createJiraEmulator(site, app) };
}

/**
 * The site in an emulator, the platform over it, the site's destinations seeded, the app installed (which
 * starts its first recalculation, as on Forge), and every trigger settled. A site with history (check-ins,
 * concerns) has it seeded through the app's resolvers once the first calculation has settled (even with
 * `settle: false`: the clock is set back while it is seeded, and nothing else may run then). Scope
 * baselines go in first, through `trip/baseline`, with the route put back as it stood then (seedBaselines).
 */
export async function bootLocalApp(options: BootOptions): Promise<LocalApp> {
  const { site: input, root = process.cwd(), settle = true, settleHorizonSeconds, ...platformOptions } = options;
  const manifest = readManifest(root);
  const { site, jira } = bootJira(input, {
    appId: manifest.appId ?? '00000000-0000-4000-8000-000000000000',
    environmentId: LOCAL_ENVIRONMENT_ID,
    fieldModuleKey: MODULE_KEYS.field,
    // The site runs the field's edit.validation from the manifest, as Jira does on issue edit and create.
    ...(manifest.field ? { validateAppField: manifest.field.validate } : {}),
  });
  const platform = await createLocalPlatform({ ...platformOptions, root, jira });
  try {
    await seedDestinations(platform, site);
    platform.install(site.users.find((u) => u.admin)?.accountId);
    if ((site.baselines ?? []).length > 0) {
      await platform.settle(settleHorizonSeconds);
      await seedBaselines(platform, jira, site, () => platform.settle(settleHorizonSeconds));
    }
    if (historySteps(site).length > 0) {
      await platform.settle(settleHorizonSeconds);
      await seedHistory(platform, site);
    }
    if (settle) await platform.settle(settleHorizonSeconds);
  } catch (error) {
    platform.close();
    throw error;
  }
  return { site, jira, platform, manifest, close: () => platform.close() };
}
