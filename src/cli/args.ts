/** A deliberately small argument parser: positional words, `--flag`, `--key value` and `--key=value`. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
  /** Every option in order, so options that may repeat (`--map A=B --map C=D`) keep all their values. */
  all?: [name: string, value: string | true][];
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], valueOptions: ReadonlySet<string> = new Set()): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const all: [string, string | true][] = [];
  const set = (name: string, value: string | true) => {
    flags.set(name, value);
    all.push([name, value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) set(name, arg.slice(eq + 1));
      else if (valueOptions.has(name)) {
        const value = argv[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        set(name, value);
      } else set(name, true);
    } else if (arg.length > 1 && arg.startsWith('-') && !/^-\d/.test(arg)) {
      for (const ch of arg.slice(1)) set(ch, true);
    } else positionals.push(arg);
  }
  return { positionals, flags, all };
}

export function rejectUnknown(args: ParsedArgs, known: readonly string[]): void {
  for (const name of args.flags.keys()) {
    if (!known.includes(name)) throw new UsageError(`unknown option ${name.length === 1 ? '-' : '--'}${name}`);
  }
}

/** `--top N`: how many rows a report lists (at least 1; default 20). */
export function topOption(args: ParsedArgs): number {
  const raw = args.flags.get('top');
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (raw === true || !Number.isInteger(n) || n < 1) throw new UsageError('--top needs a whole number of at least 1');
  return n;
}
