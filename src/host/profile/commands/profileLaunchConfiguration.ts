import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseEnvFile, pythonLaunchTargets, type LaunchTarget } from '../../../core/profile/launchTargets';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import type { ProfileDeps } from '../deps';
import { pythonFor } from '../launch';
import type { ProfileRunResult } from '../pySpyTask';
import { profilePythonProcess } from './profilePythonProcess';

/**
 * Runs a launch.json Python configuration (what the user already debugs with: program or module, args,
 * env, envFile, cwd) under py-spy until it exits or is stopped. `name` picks a configuration without asking.
 */
export const profileLaunchConfiguration: Command<ProfileDeps> = {
  id: 'incidentWorkbench.profileLaunchConfiguration',
  async run(deps, name?: unknown): Promise<ProfileRunResult | undefined> {
    const folder = deps.repository.folder;
    if (!folder) {
      void reportError(deps.log, 'Open a folder first: launch configurations live in its .vscode/launch.json.', { notify: true });
      return undefined;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const results = pythonLaunchTargets(vscode.workspace.getConfiguration('launch', folder.uri).get<unknown[]>('configurations', []), {
      workspaceFolder: folder.uri.fsPath,
      ...(active?.scheme === 'file' ? { file: active.fsPath } : {}),
      env: process.env,
    });
    let target: LaunchTarget | undefined;
    if (typeof name === 'string') {
      const r = results.find((x) => (x.ok ? x.target.name : x.name) === name);
      if (!r || !r.ok) {
        void reportError(deps.log, r ? `Launch configuration "${name}" cannot be profiled: it ${r.reason}.` : `No Python launch configuration named "${name}" in launch.json.`, { notify: true });
        return undefined;
      }
      target = r.target;
    } else {
      const usable = results.filter((r): r is Extract<typeof r, { ok: true }> => r.ok);
      if (usable.length === 0) {
        const choice = await vscode.window.showInformationMessage(
          results.length ? `No launch configuration can be profiled: ${results.map((r) => (r.ok ? '' : `"${r.name}" ${r.reason}`)).join('; ')}.` : 'launch.json has no Python configuration to profile.',
          'Open launch.json',
        );
        if (choice) await vscode.commands.executeCommand('workbench.action.debug.configure');
        return undefined;
      }
      type Item = vscode.QuickPickItem & { target?: LaunchTarget };
      const items: Item[] = [
        ...usable.map((r) => ({ label: `$(flame) ${r.target.name}`, description: r.target.args.join(' '), detail: `cwd ${vscode.workspace.asRelativePath(r.target.cwd ?? folder.uri.fsPath)}${r.target.env ? ` · env ${Object.keys(r.target.env).join(', ')}` : ''}`, target: r.target })),
        ...results.filter((r) => !r.ok).map((r) => ({ label: `$(circle-slash) ${r.ok ? '' : r.name}`, description: r.ok ? '' : `cannot be profiled: it ${r.reason}` })),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Profile Launch Configuration', placeHolder: 'Run a launch.json configuration under py-spy until it exits (or click the status bar item to stop)' });
      if (!picked?.target) return undefined;
      target = picked.target;
    }
    let env = target.env;
    if (target.envFile) {
      try {
        env = { ...parseEnvFile(await fs.readFile(target.envFile, 'utf8')), ...(env ?? {}) };
      } catch (e) {
        // The debugger goes on without a missing envFile; so does the profiler, saying so in the log.
        deps.log.warn(`envFile ${target.envFile} of "${target.name}" was not read: ${errorMessage(e)}`);
      }
    }
    const program = target.python ?? (await pythonFor(folder.uri));
    const cwd = target.cwd && !path.isAbsolute(target.cwd) ? path.join(folder.uri.fsPath, target.cwd) : target.cwd;
    return profilePythonProcess.run(deps, { program, args: target.args, ...(cwd ? { cwd } : {}), ...(env ? { env } : {}), duration: 0 });
  },
};
