/**
 * Boots the real app on the local Forge platform for integration tests, and calls resolvers the way a
 * surface would: by module, as a user, through the envelope.
 */
import { MODULE_KEYS, type Envelope, type PayloadOf, type ResolverKey, type ResponseOf } from '../../src/contract';
import { bootLocalApp, type LocalApp } from '../../local/app/boot';

export type Surface = keyof typeof MODULE_KEYS;

export interface TestApp extends LocalApp {
  call<K extends ResolverKey>(surface: Surface, key: K, payload: PayloadOf<K>, accountId: string, extension?: Record<string, unknown>): Promise<Envelope<ResponseOf<K>>>;
  /** Like `call`, but fails the test unless the answer is ok. */
  data<K extends ResolverKey>(surface: Surface, key: K, payload: PayloadOf<K>, accountId: string, extension?: Record<string, unknown>): Promise<ResponseOf<K>>;
  logs: string[];
  /** Waits for the app's background work (queue steps, trigger deliveries) before closing, so nothing of this
   *  app keeps running into the next test's platform, which the Forge seams would then route it to. */
  close(): Promise<void>;
}

/**
 * `settle: false`: return once the app is installed, its first recalculation still to run. Storage answers
 * without latency here (`storageLatencyMs: 0`; the platform's default is 20 ms) so suites making thousands of
 * storage calls stay fast; every Forge storage limit still applies. Pass a latency to test interleavings.
 */
export async function startTestApp(site: unknown, options: { settle?: boolean; storageLatencyMs?: number } = {}): Promise<TestApp> {
  const logs: string[] = [];
  const app = await bootLocalApp({ site, timeScale: 0.001, storageLatencyMs: 0, ...options, log: (message, error) => logs.push(`${message} ${error instanceof Error ? error.message : String(error ?? '')}`) });
  const call: TestApp['call'] = async (surface, key, payload, accountId, extension) => {
    const ctx: { accountId: string; extension?: Record<string, unknown> } = { accountId };
    if (extension) ctx.extension = extension;
    return (await app.platform.invokeForModule(MODULE_KEYS[surface], key, payload, ctx)) as Envelope<ResponseOf<typeof key>>;
  };
  return {
    ...app,
    logs,
    call,
    async close() {
      await app.platform.settle();
      app.close();
    },
    async data(surface, key, payload, accountId, extension) {
      const answer = await call(surface, key, payload, accountId, extension);
      if (!answer.ok) throw new Error(`${key} answered ${answer.error.code}: ${answer.error.message}`);
      return answer.data;
    },
  };
}
