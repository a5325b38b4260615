/** The bounded fuzz run in the suite; `npm run fuzz` runs the same property 10,000 times and more. */
import { fuzzResolvers } from './resolvers.fuzz';

it('answers every generated call on every surface with a typed envelope and stores nothing on refusal', async () => {
  const counts = await fuzzResolvers({ numRuns: 300 });
  expect(counts.runs).toBe(300);
  expect(counts.refusals).toBeGreaterThan(0);
}, 60_000);
