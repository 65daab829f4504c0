// Mocha entry point loaded by VS Code's extension host (desktop: --extensionTestsPath; code-server: the
// `extensionTestsPath` entry of the `payload` URL parameter, see scripts/run-integration.mjs). VS Code
// calls run() with `require('vscode')` available and exits the host when the promise settles.
//
// Every `*.test.js` file under this folder (compiled to out/test/integration/suite/) is added. Results
// go to the JSON file named by IWB_TEST_RESULTS (the extension host inherits code-server's environment)
// and, as they happen, one JSON line per finished test to `<that file>.progress`, so the driver can print
// progress and tell "never started" from "still running".
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  /** `retried`: failed once and ran again (its final state is recorded after it). */
  state: 'passed' | 'failed' | 'pending' | 'retried';
  duration?: number;
  error?: { message: string; stack?: string };
}

export interface SuiteResults {
  stats: { tests: number; passes: number; failures: number; pending: number; duration: number };
  tests: TestResult[];
  /** Set when the suite could not run at all (a test file failed to load, ...). */
  error?: { message: string; stack?: string };
}

function findTestFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...findTestFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) files.push(full);
  }
  return files.sort();
}

function errorInfo(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { message: String(err) };
}

function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export function run(): Promise<void> {
  const resultsFile = process.env.IWB_TEST_RESULTS;
  const progressFile = resultsFile ? `${resultsFile}.progress` : undefined;
  const results: SuiteResults = {
    stats: { tests: 0, passes: 0, failures: 0, pending: 0, duration: 0 },
    tests: [],
  };
  const started = Date.now();

  const record = (r: TestResult): void => {
    results.tests.push(r);
    if (progressFile) fs.appendFileSync(progressFile, JSON.stringify(r) + '\n');
  };
  const finish = (): void => {
    results.stats.duration = Date.now() - started;
    results.stats.tests = results.tests.length;
    results.stats.passes = results.tests.filter((t) => t.state === 'passed').length;
    results.stats.failures = results.tests.filter((t) => t.state === 'failed').length;
    results.stats.pending = results.tests.filter((t) => t.state === 'pending').length;
    if (resultsFile) writeAtomically(resultsFile, JSON.stringify(results, null, 2));
  };

  if (progressFile) {
    fs.mkdirSync(path.dirname(progressFile), { recursive: true });
    fs.writeFileSync(progressFile, ''); // "started" marker
  }

  // A test that fails runs once more: the extension host shares two loaded cores with code-server and the
// file watcher, whose events can come late. A failure that is ours fails twice; the retries are listed.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec', retries: 1 });
  return new Promise<void>((resolve, reject) => {
    try {
      // IWB_INTEGRATION_ONLY=memory runs the suites whose file name contains it (while working on one feature).
      const only = process.env.IWB_INTEGRATION_ONLY;
      for (const file of findTestFiles(__dirname)) if (!only || path.basename(file).includes(only)) mocha.addFile(file);
      const runner = mocha.run((failures) => {
        finish();
        if (failures > 0 || results.stats.tests === 0) {
          reject(new Error(failures > 0 ? `${failures} integration test(s) failed` : 'no integration tests ran'));
        } else {
          resolve();
        }
      });
      runner.on('pass', (test) =>
        record({ title: test.title, fullTitle: test.fullTitle(), file: test.file, state: 'passed', duration: test.duration }),
      );
      // 'fail' also fires for failing hooks (test.type === 'hook'); they are reported as failed entries.
      runner.on('fail', (test, err) =>
        record({
          title: test.title,
          fullTitle: test.fullTitle(),
          file: test.file,
          state: 'failed',
          duration: test.duration,
          error: errorInfo(err),
        }),
      );
      runner.on('retry', (test, err) =>
        record({ title: test.title, fullTitle: test.fullTitle(), file: test.file, state: 'retried', duration: test.duration, error: errorInfo(err) }),
      );
      runner.on('pending', (test) =>
        record({ title: test.title, fullTitle: test.fullTitle(), file: test.file, state: 'pending' }),
      );
    } catch (err) {
      // A test file that throws while loading (syntax error, missing import) ends up here.
      results.error = errorInfo(err);
      finish();
      reject(err);
    }
  });
}
