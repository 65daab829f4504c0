/** A deliberately small argument parser: positional words, `--flag`, `--key value` and `--key=value`. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], valueOptions: ReadonlySet<string> = new Set()): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) flags.set(name, arg.slice(eq + 1));
      else if (valueOptions.has(name)) {
        const value = argv[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        flags.set(name, value);
      } else flags.set(name, true);
    } else if (arg.length > 1 && arg.startsWith('-') && !/^-\d/.test(arg)) {
      for (const ch of arg.slice(1)) flags.set(ch, true);
    } else positionals.push(arg);
  }
  return { positionals, flags };
}

export function rejectUnknown(args: ParsedArgs, known: readonly string[]): void {
  for (const name of args.flags.keys()) {
    if (!known.includes(name)) throw new UsageError(`unknown option ${name.length === 1 ? '-' : '--'}${name}`);
  }
}
