/**
 * Starts the app on the local Forge platform: a Jira site emulator loaded from a site file, the runtime
 * seams, and the site's destinations seeded into the app's storage. The CLI, the server and the tests all
 * boot the same way.
 */
import { MODULE_KEYS } from '../../src/contract';
import { createJiraEmulator, loadSite, type JiraSiteEmulator, type Site } from '../jira';
import { createLocalPlatform, readManifest, type LocalPlatform } from '../platform';
import { seedDestinations } from './seed';

/** The environment id the runtime seams report; the emulated field's ARI must name the same one. */
export const LOCAL_ENVIRONMENT_ID = '00000000-0000-4000-8000-0000000e0001';

export interface BootOptions {
  /** A site object or the path of a site file. */
  site: unknown;
  root?: string;
  timeScale?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface LocalApp {
  site: Site;
  jira: JiraSiteEmulator;
  platform: LocalPlatform;
  close(): void;
}

export async function bootLocalApp(options: BootOptions): Promise<LocalApp> {
  const root = options.root ?? process.cwd();
  const site = loadSite(options.site);
  const manifest = readManifest(root);
  const appId = manifest.appId?.split('/').pop() ?? '00000000-0000-4000-8000-000000000000';
  const jira = createJiraEmulator(site, { appId, environmentId: LOCAL_ENVIRONMENT_ID, fieldModuleKey: MODULE_KEYS.field });
  const platformOptions: Parameters<typeof createLocalPlatform>[0] = { root, jira };
  if (options.timeScale !== undefined) platformOptions.timeScale = options.timeScale;
  if (options.log !== undefined) platformOptions.log = options.log;
  const platform = await createLocalPlatform(platformOptions);
  try {
    await seedDestinations(platform, site);
  } catch (error) {
    platform.close();
    throw error;
  }
  return { site, jira, platform, close: () => platform.close() };
}
