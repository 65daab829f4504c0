import { parseArgs, UsageError } from './args';
import { ABTEST_VALUE_OPTIONS, abtestCommand, abtestHelp } from './commands/abtest';
import { MODEL_VALUE_OPTIONS, modelCommand, modelHelp } from './commands/model';
import { ROLLBACK_VALUE_OPTIONS, rollbackCommand, rollbackHelp } from './commands/rollback';
import { postmortemCommand, postmortemHelp } from './commands/postmortem';
import { profileCommand, profileHelp } from './commands/profile';
import { MEMORY_VALUE_OPTIONS, memoryCommand, memoryHelp } from './commands/memory';
import { traceCommand, traceHelp, traceValueOptions } from './commands/trace';
import { TRACES_VALUE_OPTIONS, tracesCommand, tracesHelp } from './commands/traces';
import { ERRORS_VALUE_OPTIONS, errorsCommand, errorsHelp } from './commands/errors';
import { PATTERNS_VALUE_OPTIONS, patternsCommand, patternsHelp } from './commands/patterns';
import { validateCommand, validateHelp } from './commands/validate';
import { INCIDENT_VALUE_OPTIONS, incidentCommand, incidentHelp } from './commands/incident';
import { lintLoggingCommand, lintLoggingHelp } from './commands/lintLogging';
import { redactCommand, redactHelp } from './commands/redact';
import { STACKS_VALUE_OPTIONS, stacksCommand, stacksHelp } from './commands/stacks';
import type { CommandHelp } from './help';
import { EXIT, processIO, type CliIO } from './output';
import { version } from '../../package.json';
import { errorMessage } from '../core/util/errors';

type Command = (args: ReturnType<typeof parseArgs>, io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: CommandHelp; valueOptions?: string[] }> = {
  validate: { run: validateCommand, help: validateHelp },
  incident: { run: incidentCommand, help: incidentHelp, valueOptions: INCIDENT_VALUE_OPTIONS },
  errors: { run: errorsCommand, help: errorsHelp, valueOptions: ERRORS_VALUE_OPTIONS },
  patterns: { run: patternsCommand, help: patternsHelp, valueOptions: PATTERNS_VALUE_OPTIONS },
  profile: { run: profileCommand, help: profileHelp, valueOptions: ['top', 'map', 'sort'] },
  memory: { run: memoryCommand, help: memoryHelp, valueOptions: MEMORY_VALUE_OPTIONS },
  stacks: { run: stacksCommand, help: stacksHelp, valueOptions: STACKS_VALUE_OPTIONS },
  postmortem: { run: postmortemCommand, help: postmortemHelp },
  abtest: { run: abtestCommand, help: abtestHelp, valueOptions: ABTEST_VALUE_OPTIONS },
  rollback: { run: rollbackCommand, help: rollbackHelp, valueOptions: ROLLBACK_VALUE_OPTIONS },
  trace: { run: traceCommand, help: traceHelp, valueOptions: traceValueOptions },
  traces: { run: tracesCommand, help: tracesHelp, valueOptions: TRACES_VALUE_OPTIONS },
  model: { run: modelCommand, help: modelHelp, valueOptions: MODEL_VALUE_OPTIONS },
  'lint-logging': { run: lintLoggingCommand, help: lintLoggingHelp, valueOptions: ['rules'] },
  redact: { run: redactCommand, help: redactHelp, valueOptions: ['out', 'fields', 'pattern'] },
};

const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
const USAGE = `iwb ${version} — Incident Workbench from the command line

Usage: iwb <command> [arguments] [--json]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}${c.help.summary}`)
  .join('\n')}

Run "iwb <command> --help" (or "iwb help <command>") for its arguments, output and exit codes;
"iwb --version" prints the version.
Every command takes --json for machine-readable output; with --json, an input that cannot be read is
reported as {"error": "..."} on stdout. Exit codes: 0 done, 1 findings, 2 usage error or unreadable
input (rollback: 0 PROCEED, 3 HOLD, 4 ROLLBACK).`;

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(version);
    return EXIT.ok;
  }
  if (name === 'help' && rest.length > 0) {
    const command = Object.hasOwn(COMMANDS, rest[0]!) ? COMMANDS[rest[0]!] : undefined;
    if (!command) {
      io.err(`iwb: unknown command "${rest[0]}". Run "iwb --help" for the list.`);
      return EXIT.usage;
    }
    io.out(command.help.usage);
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`iwb: unknown command "${name}". Run "iwb --help" for the list.`);
    return EXIT.usage;
  }
  try {
    const args = parseArgs(rest, new Set(command.valueOptions ?? []));
    if (args.flags.has('help') || args.flags.has('h')) {
      io.out(command.help.usage);
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`iwb ${name}: ${e.message}. Run "iwb ${name} --help".`);
      return EXIT.usage;
    }
    // Anything else is a bug in iwb, not in the user's files; one line, not a stack, unless asked.
    io.err(`iwb ${name}: internal error: ${errorMessage(e)}${process.env.IWB_DEBUG && e instanceof Error ? `\n${e.stack}` : ''}`);
    return EXIT.usage;
  }
}

if (require.main === module) {
  // `iwb … | head` closes the pipe early; that is the reader being done, not an error worth a stack.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
