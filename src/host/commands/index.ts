import type { Command } from './command';
import { compareProfiles } from './compareProfiles';
import { openProfile } from './openProfile';
import { profilePythonProcess } from './profilePythonProcess';
import { toggleProfileHeat } from './toggleProfileHeat';
import { appendForensicsTimeline } from './appendForensicsTimeline';
import { importEvidenceBundle } from './importEvidenceBundle';
import { openTraceWaterfall } from './openTraceWaterfall';
import { addErrorClusterToIncident } from './addErrorClusterToIncident';
import { clearErrorClustersFilter } from './clearErrorClustersFilter';
import { copyErrorFingerprint } from './copyErrorFingerprint';
import { filterErrorClusters } from './filterErrorClusters';
import { loadLogs } from './loadLogs';
import { openErrorFrame } from './openErrorFrame';
import { reloadLogs } from './reloadLogs';
import { showErrorClusterDetails } from './showErrorClusterDetails';
import { insertStructuredLoggingSetup } from './insertStructuredLoggingSetup';
import { scanWorkspaceLogging } from './scanWorkspaceLogging';
import { analyzeAbTest } from './analyzeAbTest';
import { judgeRollback } from './judgeRollback';
import { rollBack } from './rollBack';
import { analyzeModelPredictions } from './analyzeModelPredictions';
import { addReproductionStep } from './addReproductionStep';
import { recordReproductionAttempt } from './recordReproductionAttempt';
import { attachEvidence } from './attachEvidence';
import { addHypothesis } from './addHypothesis';
import { recordHypothesisVerification } from './recordHypothesisVerification';
import { setRootCause } from './setRootCause';
import { recordFix } from './recordFix';
import { verifyFix } from './verifyFix';
import { addPreventionMeasure } from './addPreventionMeasure';
import { setActiveIncident } from './setActiveIncident';
import { changeSeverity } from './changeSeverity';
import { changeStatus } from './changeStatus';
import { closeIncident } from './closeIncident';
import { openPostmortem } from './openPostmortem';
import { exportPostmortem } from './exportPostmortem';
import { openPostmortemAsText } from './openPostmortemAsText';
import { openPostmortemForm } from './openPostmortemForm';
import { refreshActionItems } from './refreshActionItems';
import { markActionItemDone } from './markActionItemDone';
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
  scanWorkspaceLogging,
  insertStructuredLoggingSetup,
  showIncident,
  loadLogs,
  reloadLogs,
  filterErrorClusters,
  clearErrorClustersFilter,
  openErrorFrame,
  showErrorClusterDetails,
  addErrorClusterToIncident,
  copyErrorFingerprint,
  addReproductionStep,
  recordReproductionAttempt,
  attachEvidence,
  addHypothesis,
  recordHypothesisVerification,
  setRootCause,
  recordFix,
  verifyFix,
  addPreventionMeasure,
  setActiveIncident,
  changeSeverity,
  changeStatus,
  closeIncident,
  openPostmortem,
  exportPostmortem,
  openPostmortemAsText,
  openPostmortemForm,
  refreshActionItems,
  markActionItemDone,
  analyzeAbTest,
  judgeRollback,
  rollBack,
  analyzeModelPredictions,
  openTraceWaterfall,
  importEvidenceBundle,
  appendForensicsTimeline,
  profilePythonProcess,
  openProfile,
  compareProfiles,
  toggleProfileHeat,
];
