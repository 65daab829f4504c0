import type { TriagedCluster } from '../../core/triage/triage';
import type { ErrorsDeps } from './deps';
import type { ErrorsNode } from './errorsTree';
import { clusterFrom } from './commands/showErrorClusterDetails';

/** The cluster a triage command is about, as loaded (with its triage). */
export async function triageTarget(deps: ErrorsDeps, arg: unknown): Promise<TriagedCluster | undefined> {
  const c = await clusterFrom(deps, arg as ErrorsNode | string | undefined);
  return c ? (deps.errors.state.cluster(c.fingerprint) ?? c) : undefined;
}
