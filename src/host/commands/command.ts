import type { Services } from '../services';

/** Every id contributed in package.json; a test checks the two lists are the same. */
export type CommandId =
  | 'incidentWorkbench.newIncident'
  | 'incidentWorkbench.openIncidentFolder'
  | 'incidentWorkbench.validateIncidentFiles'
  | 'incidentWorkbench.refreshIncidents'
  | 'incidentWorkbench.showIncident'
  | 'incidentWorkbench.openIncidentFile';

export interface Command {
  id: CommandId;
  run(services: Services, ...args: unknown[]): unknown;
}
