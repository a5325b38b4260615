/** `npm run fuzz [runs] [seed]`: the long fuzz run of every resolver (default 10,000 calls). */
import { fuzzResolvers } from './resolvers.fuzz';

const runs = Number(process.argv[2] ?? 10_000);
const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
const started = performance.now();
fuzzResolvers({ numRuns: runs, seed })
  .then((counts) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`fuzz: ${counts.runs} calls (seed ${seed}) in ${seconds} s: ${counts.oks} ok, ${counts.refusals} refused, every answer a typed envelope, no storage change after a refusal.`);
  })
  .catch((error: unknown) => {
    console.error(`fuzz failed (seed ${seed}): ${error instanceof Error ? error.message : String(error)}`, error instanceof Error && error.cause instanceof Error ? error.cause.message : "");
    process.exitCode = 1;
  });
