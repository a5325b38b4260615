/**
 * Property: every resolver key, called on every surface by an admin and by a non-admin with generated
 * payloads (random JSON, near-valid payloads with one field mutated, hostile strings), answers a typed
 * envelope: ok, or an error whose code is in the closed list and whose message carries no stack trace. A
 * refusal changes nothing stored. Shared by the bounded run in the jest suite and `npm run fuzz`.
 */
import fc from 'fast-check';
import { smallSite } from '../../local/jira/testing/small-site';
import { LocalError } from '../../local/platform';
import { ERROR_CODES, MODULE_KEYS, type ResolverKey } from '../../src/contract';
import { KEY } from '../../src/infra/storage/keys';
import { PAYLOADS } from '../../src/contract/schemas';
import { startTestApp, type TestApp } from '../helpers/local-app';

const KEYS = Object.keys(PAYLOADS) as ResolverKey[];
const SURFACES = ['field', 'panel', 'portfolio', 'admin', 'gadget'] as const;
const USERS = ['u-admin', 'u-dev'];

/** Payloads close to what the UIs send, so generated mutations reach the services, not just the schemas. */
const VALID: Record<ResolverKey, Record<string, unknown>> = {
  'me/get': {},
  'users/search': { query: 'ad' },
  'destinations/list': { includeArchived: true },
  'destinations/get': { id: 'D-1' },
  'destinations/create': { draft: { name: 'Fuzzed', businessOwner: 'u-leader', targetDate: '2027-01-01', successMeasure: { name: 'Paid in a minute', unit: '%', baseline: 10, target: 90 } } },
  'destinations/update': { id: 'D-1', version: 1, draft: { name: 'Renamed', businessOwner: 'u-leader', targetDate: '2027-01-01' } },
  'destinations/reorder': { orderedIds: ['D-1'] },
  'destinations/archive': { id: 'D-1', version: 1 },
  'destinations/restore': { id: 'D-2', version: 1 },
  'destinations/delete': { id: 'D-2', version: 1 },
  'epic/alignment': { issueKey: 'PAY-1' },
  'epic/set-destination': { issueKey: 'PAY-6', destinationId: 'D-1' },
  'portfolio/get': { status: ['active'], page: 1 },
  'portfolio/epics': { destinationId: 'D-1', offset: 0, limit: 10 },
  'portfolio/off-route': { projectKey: 'PAY', offset: 0 },
  'portfolio/jql': { verdict: 'on track', status: ['active'] },
  'portfolio/export': { owner: 'u-leader' },
  'reconcile/start': {},
  'reconcile/status': {},
  'settings/get': {},
  'settings/save': { settings: { projectKeys: ['PAY'], estimateField: { kind: 'auto' }, throughputWeeks: 6, checkInCadenceWeeks: 3 }, version: 0 },
  'trip/history': { destinationId: 'D-1' },
  'trip/baseline': { destinationId: 'D-1' },
  'trip/voices': { destinationId: 'D-1' },
  'trip/check-in': { destinationId: 'D-1', status: 'on track', note: 'Fuzzed', measure: 42 },
  'trip/respond': { destinationId: 'D-1', concernId: 'C-1', answer: 'Fuzzed', close: false },
  'portfolio/scenery': { projectKey: 'PAY' },
  'epic/trip-history': { issueKey: 'PAY-1' },
  'epic/voices': { issueKey: 'PAY-1' },
  'concern/raise': { issueKey: 'PAY-1', text: 'Fuzzed' },
  'gadget/card': { destinationId: 'D-1' },
};

const hostile = fc.oneof(
  fc.constantFrom('\u0000', '\u001b[31m', '\u0085', '\u200B', '\uFEFF', '\u202E', '\uD800', '   ', '', 'D-0', 'D-1234567890', '__proto__', 'constructor', 'toString', '<script>', '"', '\\', 'x'.repeat(5000)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const scalar = fc.oneof(hostile, fc.integer(), fc.double(), fc.constantFrom(1e308, -1, 0, Number.MAX_SAFE_INTEGER + 2), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(hostile, fc.constantFrom('draft', 'id', 'version', 'name', 'query', 'settings')), tie('value'), { maxKeys: 4 }),
})).value;

/** One field of a valid payload (at any depth) replaced, removed, or one extra key added. */
function mutate(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const paths: string[][] = [];
  const walk = (v: unknown, path: string[]): void => {
    if (typeof v !== 'object' || v === null) return;
    for (const [k, child] of Object.entries(v)) {
      paths.push([...path, k]);
      walk(child, [...path, k]);
    }
  };
  walk(valid, []);
  if (paths.length === 0) return fc.oneof(json, fc.record({ extra: json }));
  return fc.tuple(fc.constantFrom(...paths), fc.oneof(json, fc.constant(undefined)), fc.boolean()).map(([path, value, extraKey]) => {
    const copy = structuredClone(valid);
    let at: Record<string, unknown> = copy;
    for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
    const last = path[path.length - 1] as string;
    if (extraKey) at[`${last}Extra`] = value;
    else if (value === undefined) delete at[last];
    else at[last] = value;
    return copy;
  });
}

const call = fc.record({
  key: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.oneof(hostile, fc.constant('destinations/create ')) }),
  surface: fc.constantFrom(...SURFACES),
  user: fc.constantFrom(...USERS),
  kind: fc.constantFrom('random', 'mutated', 'mutated', 'valid'),
  random: json,
  seed: fc.nat(),
}).chain((c) => {
  const valid = VALID[c.key as ResolverKey] ?? {};
  const payload: fc.Arbitrary<unknown> = c.kind === 'random' ? fc.constant(c.random) : c.kind === 'valid' ? fc.constant(valid) : mutate(valid);
  return payload.map((p) => ({ ...c, payload: p }));
});

/**
 * Stored data, without the caches a read may write: the per-viewer caches (a refused call may still have read
 * Jira as its caller) and the portfolio's outline (any view that assembled the figures keeps one, ADR 0015;
 * `gadget/card` assembles them before it finds its destination gone).
 */
const isCache = (key: string): boolean =>
  key.startsWith(KEY.viewerPrefix) || key === KEY.userNames || key === KEY.portfolioOutline || key.startsWith(KEY.portfolioOutlinePrefix);

function storedData(app: TestApp): string {
  const snapshot = app.platform.kvs.snapshot();
  const plain = Object.fromEntries(Object.entries(snapshot.plain).filter(([key]) => !isCache(key)));
  return JSON.stringify({ ...snapshot, plain });
}

function changedKeys(before: string, after: string): string {
  const flat = (text: string): Map<string, string> => {
    const out = new Map<string, string>();
    const walk = (v: unknown, path: string): void => {
      if (typeof v === 'object' && v !== null && path.split('/').length < 4) for (const [k, c] of Object.entries(v)) walk(c, `${path}/${k}`);
      else out.set(path, JSON.stringify(v));
    };
    walk(JSON.parse(text), '');
    return out;
  };
  const [a, b] = [flat(before), flat(after)];
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).slice(0, 5).join(', ');
}

const STACK = /\n\s+at |\.ts:\d+|node_modules/;

/** Checks one answer; returns whether it was a refusal. */
function checkAnswer(answer: unknown): boolean {
  expectTrue(typeof answer === 'object' && answer !== null && typeof (answer as { ok?: unknown }).ok === 'boolean', `not an envelope: ${JSON.stringify(answer)?.slice(0, 300)}`);
  const envelope = answer as { ok: boolean; data?: unknown; error?: { code?: unknown; message?: unknown } };
  if (envelope.ok) return false;
  const error = envelope.error ?? {};
  expectTrue((ERROR_CODES as readonly unknown[]).includes(error.code), `unknown code ${String(error.code)}`);
  expectTrue(typeof error.message === 'string' && error.message.length > 0 && !STACK.test(error.message), `bad message ${String(error.message)}`);
  expectTrue(error.code !== 'INTERNAL', `INTERNAL: ${String(error.message)}`);
  return true;
}

function expectTrue(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export async function fuzzResolvers(options: { numRuns: number; seed?: number }): Promise<{ runs: number; refusals: number; oks: number }> {
  const counts = { runs: 0, refusals: 0, oks: 0 };
  let app: TestApp = await startTestApp(smallSite());
  try {
    await fc.assert(
      fc.asyncProperty(call, async ({ key, surface, user, payload }) => {
        counts.runs += 1;
        // A fresh site now and then, so accepted writes do not pile up into a state no real site reaches.
        if (counts.runs % 200 === 0) {
          await app.close();
          app = await startTestApp(smallSite());
        }
        const before = storedData(app);
        let answer: unknown;
        try {
          answer = await app.call(surface, key as ResolverKey, payload as never, user);
        } catch (e) {
          // The platform's own refusals (size, depth, unknown function) are typed too.
          expectTrue(e instanceof LocalError && e.status < 500, `threw ${e instanceof Error ? e.message : String(e)}`);
          answer = e.toEnvelope();
        }
        await app.platform.settle();
        const refused = checkAnswer(answer);
        if (refused) {
          counts.refusals += 1;
          const after = storedData(app);
          // Compared entry by entry: a write of the same value can move an entry in the emulator's maps.
          expectTrue(changedKeys(before, after) === '', `storage changed after a refusal of ${key}: ${JSON.stringify(answer)}; ${changedKeys(before, after)}`);
        } else {
          counts.oks += 1;
        }
        expectTrue(app.logs.length === 0, `logged: ${app.logs.join(' | ')}`);
      }),
      { numRuns: options.numRuns, ...(options.seed === undefined ? {} : { seed: options.seed }), endOnFailure: true },
    );
  } finally {
    await app.close();
  }
  return counts;
}

export { MODULE_KEYS };
