/**
 * Argument parsing shared by the local commands, on Node's own `util.parseArgs` (`--name value`,
 * `--name=value`, `--flag`), with a one-line error that names the option and the usage.
 */
import { parseArgs as parse } from 'node:util';

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: { values: string[]; flags: string[]; usage: string }): { values: Map<string, string>; flags: Set<string> } {
  const options = Object.fromEntries([
    ...spec.values.map((name) => [name, { type: 'string' as const }]),
    ...spec.flags.map((name) => [name, { type: 'boolean' as const }]),
  ]);
  try {
    const parsed = parse({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
    const values = new Map<string, string>();
    const flags = new Set<string>();
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value === 'string') {
        if (value === '') throw new UsageError(`--${name} needs a value`);
        values.set(name, value);
      } else if (value === true) flags.add(name);
    }
    return { values, flags };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    const named = /'([^' ]+)/.exec(message)?.[1] ?? '';
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${named} needs a value`);
    throw new UsageError(`unknown argument "${named || message}" (usage: ${spec.usage})`);
  }
}
