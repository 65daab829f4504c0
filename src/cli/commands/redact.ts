import { existsSync, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { createRedactor, RedactionConfigError, redactContent, type CustomPattern } from '../../core/redaction/redact';
import { UsageError, rejectUnknown, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { readTextInput } from '../input';
import { EXIT, type CliIO } from '../output';
import { errorMessage } from '../../core/util/errors';

export const redactHelp: CommandHelp = {
  summary: 'Redact secrets in a file the way evidence is redacted',
  usage: `iwb redact FILE [--out FILE] [--check] [--json] [--fields NAME,...] [--pattern REGEX]
  Redacts secrets in FILE the way evidence is redacted before it is written to .incidents/: private keys,
  URL passwords, Authorization headers, JWTs (also unsigned), GitHub/GitLab/Slack/Stripe/AWS/GCP/Azure/
  npm/PyPI credentials, Slack webhooks, bearer credentials, the values of sensitive fields, emails, card
  numbers (Luhn-checked), SSNs; each becomes [REDACTED:<kind>]. JSON and JSON Lines keep their structure.
  Prints the result (or writes --out, which must not exist yet; FILE itself is never changed) and a count
  per kind on stderr.
  --check writes nothing and exits 1 when anything would be redacted. --fields adds field names;
  --pattern adds a regular expression (group 1, if any, is what gets replaced).
  --json: {file, format, replaced, byKind, content} (with --out: out instead of content)
  Exit 0: done (or, with --check, nothing to redact). 1: --check found values. 2: unreadable FILE, bad option.`,
};

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
  if (out && existsSync(nodePath.resolve(io.cwd, out))) return fail(`${out} already exists; choose a new file (iwb redact never overwrites)`);
  const input = await readTextInput(io.cwd, file, MAX_BYTES, 'it is not UTF-8 text (binary files cannot be redacted)');
  if ('error' in input) return fail(input.error);
  const text = input.text;
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
      return fail(`cannot write ${out}: ${errorMessage(e)}`);
    }
  }
  if (json) io.out(JSON.stringify({ file, format: r.format, replaced: r.replaced, byKind: r.byKind, ...(out ? { out } : { content: r.value }) }));
  else {
    if (!out) io.out(r.value.endsWith('\n') ? r.value.slice(0, -1) : r.value);
    io.err(`${file}: redacted ${r.replaced} value${r.replaced === 1 ? '' : 's'}${summary ? ` (${summary})` : ''}${out ? ` -> ${out}` : ''}`);
  }
  return EXIT.ok;
}
