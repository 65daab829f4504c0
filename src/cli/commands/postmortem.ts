import { parseJsonWithPositions } from '../../core/json/positions';
import { lintPostmortem } from '../../core/postmortem/lint';
import { renderMarkdown } from '../../core/postmortem/markdown';
import type { PostMortem } from '../../core/postmortem/types';
import { validateParsed } from '../../core/validation/validate';
import { formatProblem } from '../../core/validation/problems';
import { UsageError, rejectUnknown, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { readTextInput } from '../input';
import { EXIT, type CliIO } from '../output';

export const postmortemHelp: CommandHelp = {
  summary: 'Render a post-mortem as Markdown, or lint its language (blameless)',
  usage: `iwb postmortem render FILE [--json]
  Prints the post-mortem FILE (a postmortem.json) as Markdown, with the sections of the exported report
  (the same as Export Post-Mortem to Markdown). --json: {markdown}
iwb postmortem lint FILE [--json]
  Blameless-language lint of every text field. Prints FILE: field: rule "text" — suggestion, or with
  --json [{field, rule, text, suggestion, explanation}].
  Schema problems are warnings on stderr (without --json) and stop neither command.
  Exit 0: rendered, or no findings. 1: findings. 2: FILE unreadable or not valid JSON.`,
};

const MAX_BYTES = 64 * 1024 * 1024;

async function load(file: string, io: CliIO, json: boolean): Promise<PostMortem | number> {
  const fail = (message: string) => {
    if (json) io.out(JSON.stringify({ error: message }));
    else io.err(`iwb postmortem: ${message}`);
    return EXIT.usage;
  };
  const input = await readTextInput(io.cwd, file, MAX_BYTES);
  if ('error' in input) return fail(input.error);
  const text = input.text;
  const parsed = parseJsonWithPositions(text);
  const result = validateParsed<PostMortem>(parsed, 'postmortem');
  if (result.value === undefined || typeof result.value !== 'object' || result.value === null || Array.isArray(result.value)) {
    const p = result.problems[0];
    return fail(p ? formatProblem(file, p) : `${file} is not a JSON object`);
  }
  // Schema problems do not stop rendering or linting (missing fields render empty); they are mentioned.
  if (!json) for (const p of result.problems) io.err(formatProblem(file, { ...p, severity: 'warning' }));
  return result.value;
}

export async function postmortemCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json']);
  const json = args.flags.has('json');
  const [sub, file, ...extra] = args.positionals;
  if (sub !== 'render' && sub !== 'lint') throw new UsageError(sub ? `unknown postmortem sub-command "${sub}" (render or lint)` : 'postmortem needs a sub-command: render or lint');
  if (!file) throw new UsageError(`postmortem ${sub} needs a FILE`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const pm = await load(file, io, json);
  if (typeof pm === 'number') return pm;
  if (sub === 'render') {
    const markdown = renderMarkdown(pm);
    if (json) io.out(JSON.stringify({ markdown }));
    else io.out(markdown.replace(/\n$/, ''));
    return EXIT.ok;
  }
  const findings = lintPostmortem(pm).map(({ field, rule, text, suggestion, explanation }) => ({ field, rule, text, suggestion, explanation }));
  if (json) io.out(JSON.stringify(findings, null, 2));
  else {
    for (const f of findings) io.out(`${file}: ${f.field}: ${f.rule} "${f.text}" — ${f.suggestion}`);
    io.err(`${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  }
  return findings.length > 0 ? EXIT.findings : EXIT.ok;
}
