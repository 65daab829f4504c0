import { joinPath } from './fileSystem';

/** Where things live under `.incidents/`; DESIGN.md documents the same layout for people. */
export const INCIDENTS_FOLDER = '.incidents';
export const INCIDENT_FILE = 'incident.json';
export const POSTMORTEM_FILE = 'postmortem.json';
export const EVIDENCE_FOLDER = 'evidence';
/** Error cluster triage (resolved, ignored, linked), one file for the workspace: `.incidents/triage.json`. */
export const TRIAGE_FILE = 'triage.json';

export const incidentDir = (id: string, root = INCIDENTS_FOLDER) => joinPath(root, id);
export const incidentFile = (id: string, root = INCIDENTS_FOLDER) => joinPath(root, id, INCIDENT_FILE);
export const postmortemFile = (id: string, root = INCIDENTS_FOLDER) => joinPath(root, id, POSTMORTEM_FILE);
export const evidenceDir = (id: string, root = INCIDENTS_FOLDER) => joinPath(root, id, EVIDENCE_FOLDER);
export const triageFile = (root = INCIDENTS_FOLDER) => joinPath(root, TRIAGE_FILE);
