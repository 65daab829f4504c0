import { existsSync, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { createRedactor, RedactionConfigError, redactContent, type CustomPattern } from '../../core/redaction/redact';
import { UsageError, rejectUnknown, type ParsedArgs } from '../args';
import { EXIT, type CliIO } from '../output';

export const redactUsage = `iwb redact FILE [--out FILE] [--check] [--json] [--fields NAME,...] [--pattern REGEX]
  Redacts secrets in FILE the way evidence is redacted before it is written to .incidents/: tokens,
  passwords, API keys, bearer credentials, JWTs, private keys, emails, card numbers (Luhn-checked), SSNs,
  the values of sensitive fields; JSON and JSON Lines keep their structure. Prints the result (or writes
  --out, which must not exist yet; FILE itself is never changed) and a count per kind on stderr.
  --check writes nothing and exits 1 when anything would be redacted. --fields adds field names;
  --pattern adds a regular expression (group 1, if any, is what gets replaced).
  Exit 0: done (or, with --check, nothing to redact). 1: --check found values. 2: unreadable FILE, bad option.`;

const MAX_BYTES = 256 * 1024 * 1024;

export async function redactCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'out', 'check', 'fields', 'pattern']);
  const json = args.flags.has('json');
  const check = args.flags.has('check');
  const [file, ...extra] = args.positionals;
  if (!file) throw new UsageError('redact needs a FILE');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const value = (name: string): string | undefined => {
    const v = args.flags.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value (--${name}=...)`);
    return v;
  };
  const out = value('out');
  const fields = value('fields')?.split(',').map((s) => s.trim()).filter(Boolean);
  const pattern = value('pattern');
  const fail = (message: string) => {
    if (json) io.out(JSON.stringify({ error: message }));
    else io.err(`iwb redact: ${message}`);
    return EXIT.usage;
  };
  const full = nodePath.resolve(io.cwd, file);
  const stat = await fs.stat(full).catch(() => undefined);
  if (!stat) return fail(`${file} does not exist`);
  if (!stat.isFile()) return fail(`${file} is not a file`);
  if (stat.size > MAX_BYTES) return fail(`${file} is ${(stat.size / 1048576).toFixed(1)} MB, over the ${MAX_BYTES / 1048576} MB limit`);
  if (out && existsSync(nodePath.resolve(io.cwd, out))) return fail(`${out} already exists; choose a new file (iwb redact never overwrites)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await fs.readFile(full));
  } catch (e) {
    return fail(`${file} cannot be read: ${e instanceof TypeError ? 'it is not UTF-8 text (binary files cannot be redacted)' : (e as Error).message}`);
  }
  let redactor;
  try {
    const patterns: CustomPattern[] = pattern ? [{ name: 'pattern', pattern }] : [];
    redactor = createRedactor({ fieldNames: fields ?? [], patterns });
  } catch (e) {
    if (e instanceof RedactionConfigError) throw new UsageError(e.message);
    throw e;
  }
  const r = redactContent(text, file, redactor);
  const summary = Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  if (check) {
    if (json) io.out(JSON.stringify({ file, format: r.format, replaced: r.replaced, byKind: r.byKind }));
    else io.err(r.replaced ? `${file}: ${r.replaced} value${r.replaced === 1 ? '' : 's'} to redact (${summary})` : `${file}: nothing to redact`);
    return r.replaced > 0 ? EXIT.findings : EXIT.ok;
  }
  if (out) {
    try {
      await fs.writeFile(nodePath.resolve(io.cwd, out), r.value, { flag: 'wx' });
    } catch (e) {
      return fail(`cannot write ${out}: ${(e as Error).message}`);
    }
  }
  if (json) io.out(JSON.stringify({ file, format: r.format, replaced: r.replaced, byKind: r.byKind, ...(out ? { out } : { content: r.value }) }));
  else {
    if (!out) io.out(r.value.endsWith('\n') ? r.value.slice(0, -1) : r.value);
    io.err(`${file}: redacted ${r.replaced} value${r.replaced === 1 ? '' : 's'}${summary ? ` (${summary})` : ''}${out ? ` -> ${out}` : ''}`);
  }
  return EXIT.ok;
}
