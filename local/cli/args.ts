/**
 * Tiny argument parsing shared by the local commands: `--name value` and `--flag`, nothing clever, and a
 * one-line error for anything unknown.
 */
export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: { values: string[]; flags: string[] }): { values: Map<string, string>; flags: Set<string> } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const name = arg.replace(/^--/, '');
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    if (spec.flags.includes(name)) {
      flags.add(name);
    } else if (spec.values.includes(name)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
      i++;
    } else {
      throw new UsageError(`unknown option ${arg} (known: ${[...spec.values, ...spec.flags].map((n) => `--${n}`).join(', ')})`);
    }
  }
  return { values, flags };
}
