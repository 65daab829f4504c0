import * as nodePath from 'node:path';
import { promises as fs } from 'node:fs';
import { IncidentStore } from '../../core/store/incidentStore';
import { formatProblem } from '../../core/validation/problems';
import { rejectUnknown, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { NodeFileSystem } from '../nodeFileSystem';
import { EXIT, type CliIO } from '../output';

export const validateHelp: CommandHelp = {
  summary: 'Check incident.json and postmortem.json files against their JSON Schemas',
  usage: `iwb validate [DIR] [--json]
  Checks every .incidents/<id>/incident.json and postmortem.json under DIR (default: .incidents)
  against the JSON Schemas. Prints file:line:column: message per problem, and the count of files
  checked and invalid on stderr.
  --json: {checked, invalid, files: [{file, kind, state, problems: [{line, column, message, pointer,
  severity}]}]}
  Exit 0: all valid. 1: some file is invalid. 2: DIR cannot be read.`,
};

export async function validateCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json']);
  const json = args.flags.has('json');
  const dirArg = args.positionals[0] ?? '.incidents';
  const dir = nodePath.resolve(io.cwd, dirArg);
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat || !stat.isDirectory()) {
    const message = stat ? `${dirArg} is not a directory` : `${dirArg} does not exist (run from the workspace folder, or pass the .incidents folder)`;
    if (json) io.out(JSON.stringify({ error: message }));
    else io.err(`iwb validate: ${message}`);
    return EXIT.usage;
  }
  const store = new IncidentStore(new NodeFileSystem(dir), { root: '.' });
  const reports = await store.validateAll();
  const display = (p: string) => nodePath.relative(io.cwd, nodePath.join(dir, p)) || p;
  const invalid = reports.filter((r) => r.state !== 'valid');
  if (json) {
    io.out(
      JSON.stringify(
        {
          checked: reports.length,
          invalid: invalid.length,
          files: reports.map((r) => ({
            file: display(r.path),
            kind: r.kind,
            state: r.state,
            problems: r.problems.map(({ line, column, message, pointer, severity }) => ({ line, column, message, pointer, severity })),
          })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const r of invalid) for (const p of r.problems) io.out(formatProblem(display(r.path), p));
    io.err(`${reports.length} file${reports.length === 1 ? '' : 's'} checked, ${invalid.length} invalid`);
  }
  return invalid.length > 0 ? EXIT.findings : EXIT.ok;
}
