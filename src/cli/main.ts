import { parseArgs, UsageError } from './args';
import { ABTEST_VALUE_OPTIONS, abtestCommand, abtestUsage } from './commands/abtest';
import { MODEL_VALUE_OPTIONS, modelCommand, modelUsage } from './commands/model';
import { ROLLBACK_VALUE_OPTIONS, rollbackCommand, rollbackUsage } from './commands/rollback';
import { postmortemCommand, postmortemUsage } from './commands/postmortem';
import { profileCommand, profileUsage } from './commands/profile';
import { traceCommand, traceUsage, traceValueOptions } from './commands/trace';
import { ERRORS_VALUE_OPTIONS, errorsCommand, errorsUsage } from './commands/errors';
import { validateCommand, validateUsage } from './commands/validate';
import { lintLoggingCommand, lintLoggingUsage } from './commands/lintLogging';
import { redactCommand, redactUsage } from './commands/redact';
import { EXIT, processIO, type CliIO } from './output';
import { version } from '../../package.json';
import { errorMessage } from '../core/util/errors';

const USAGE = `iwb ${version} — Incident Workbench from the command line

Usage:
  iwb --version
  ${validateUsage.split('\n').join('\n  ')}
  ${errorsUsage.split('\n').join('\n  ')}
  ${profileUsage.split('\n').join('\n  ')}
  ${postmortemUsage.split('\n').join('\n  ')}
  ${abtestUsage.split('\n').join('\n  ')}
  ${rollbackUsage.split('\n').join('\n  ')}
  ${traceUsage.split('\n').join('\n  ')}
  ${modelUsage.split('\n').join('\n  ')}
  ${lintLoggingUsage.split('\n').join('\n  ')}
  ${redactUsage.split('\n').join('\n  ')}

Every command takes --json for machine-readable output.`;

type Command = (args: ReturnType<typeof parseArgs>, io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { run: Command; valueOptions?: string[] }> = {
  validate: { run: validateCommand },
  errors: { run: errorsCommand, valueOptions: ERRORS_VALUE_OPTIONS },
  profile: { run: profileCommand, valueOptions: ['top'] },
  postmortem: { run: postmortemCommand },
  abtest: { run: abtestCommand, valueOptions: ABTEST_VALUE_OPTIONS },
  rollback: { run: rollbackCommand, valueOptions: ROLLBACK_VALUE_OPTIONS },
  trace: { run: traceCommand, valueOptions: traceValueOptions },
  model: { run: modelCommand, valueOptions: MODEL_VALUE_OPTIONS },
  'lint-logging': { run: lintLoggingCommand, valueOptions: ['rules'] },
  redact: { run: redactCommand, valueOptions: ['out', 'fields', 'pattern'] },
};

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(version);
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`iwb: unknown command "${name}". Run "iwb --help" for the list.`);
    return EXIT.usage;
  }
  try {
    return await command.run(parseArgs(rest, new Set(command.valueOptions ?? [])), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`iwb ${name}: ${e.message}. Run "iwb --help".`);
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
