/** Where the CLI writes; injected so tests can run commands in-process and read what they printed. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
};

/** Exit codes shared by every command: scripts and CI gates branch on them. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A source location as editors and terminals link it: `file:line`, the file alone without a line, '' without a file. */
export const where = (file: string, line: number): string => (file ? `${file}${line > 0 ? `:${line}` : ''}` : '');
/** Right-aligns `s` in `n` columns (numbers in a table). */
export const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
