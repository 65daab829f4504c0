import * as vscode from 'vscode';
import type { ErrorsNode } from '../errorsTree';
import type { Command } from '../../shared/command';
import type { ErrorsDeps } from '../deps';
import { clusterFrom } from './showErrorClusterDetails';

export const copyErrorFingerprint: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.copyErrorFingerprint',
  async run(deps, arg?: unknown): Promise<string | undefined> {
    const cluster = await clusterFrom(deps, arg as ErrorsNode | string | undefined);
    if (!cluster) return undefined;
    await vscode.env.clipboard.writeText(cluster.fingerprint);
    void vscode.window.setStatusBarMessage(`Copied fingerprint ${cluster.fingerprint}`, 3000);
    return cluster.fingerprint;
  },
};
