/**
 * What `iwb --help` lists about a sub-command and what `iwb <command> --help` prints. docs/cli.md is
 * generated from this output (`npm run docs`), so the help is the one place the CLI is documented.
 */
export interface CommandHelp {
  /** One line for the command list of `iwb --help`. */
  summary: string;
  /** The synopsis of each form (lines starting with `iwb `), each followed by indented details. */
  usage: string;
}
