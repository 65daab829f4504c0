import type { Command } from './command';
import { newIncident } from './newIncident';
import { openIncidentFile } from './openIncidentFile';
import { openIncidentFolder } from './openIncidentFolder';
import { refreshIncidents } from './refreshIncidents';
import { showIncident } from './showIncident';
import { validateIncidentFiles } from './validateIncidentFiles';

export const COMMANDS: readonly Command[] = [
  newIncident,
  openIncidentFolder,
  openIncidentFile,
  validateIncidentFiles,
  refreshIncidents,
  showIncident,
];
