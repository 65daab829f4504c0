import * as vscode from 'vscode';

/**
 * The active Python interpreter, through the Python extension's API when it is installed (it stays
 * optional, as vscode-python-debugger's python.ts does it). Profilers and the memory reader start from it.
 */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment?(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: { getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } };
}

/** The active interpreter's executable, from the Python extension, or undefined (extension absent or no env). */
export async function activeInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!ext) return undefined;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const envPath = api?.environments?.getActiveEnvironmentPath?.(resource);
    if (envPath && api.environments?.resolveEnvironment) {
      const env = await api.environments.resolveEnvironment(envPath);
      const exe = env?.executable?.uri?.fsPath;
      if (exe) return exe;
    }
    if (envPath?.path) return envPath.path;
    return api?.settings?.getExecutionDetails?.(resource)?.execCommand?.[0];
  } catch {
    return undefined;
  }
}
