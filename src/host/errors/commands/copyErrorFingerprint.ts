import * as vscode from 'vscode';
import type { ErrorsNode } from '../views/errorsTree';
import type { Command } from './command';
import { clusterFrom } from './showErrorClusterDetails';

export const copyErrorFingerprint: Command = {
  id: 'incidentWorkbench.copyErrorFingerprint',
  async run(services, arg?: unknown): Promise<string | undefined> {
    const cluster = await clusterFrom(services, arg as ErrorsNode | string | undefined);
    if (!cluster) return undefined;
    await vscode.env.clipboard.writeText(cluster.fingerprint);
    void vscode.window.setStatusBarMessage(`Copied fingerprint ${cluster.fingerprint}`, 3000);
    return cluster.fingerprint;
  },
};
