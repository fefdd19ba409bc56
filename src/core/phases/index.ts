/** Every phase of the merge procedure, in PHASES order. */
import type { Phase } from '../merger/phase';
import { PHASES, type PhaseId } from '../merger/types';
import { preflight } from './preflight';
import { verifyTarget } from './verify-target';
import { authorizeTargetMaster } from './authorize-target-master';
import { stopInstances } from './stop-instances';
import { pauseWatchers } from './pause-watchers';
import { snapshot } from './snapshot';
import { removeMasterIps } from './remove-master-ips';
import { stopMergeeDaemons } from './stop-mergee-daemons';
import { stopTargetMaster } from './stop-target-master';
import { writeConfig } from './write-config';
import { startMasterNoVoting } from './start-master-no-voting';
import { readdNodes } from './readd-nodes';
import { redistribute } from './redistribute';
import { restartMaster } from './restart-master';
import { startInstances } from './start-instances';
import { resumeWatchers } from './resume-watchers';
import { verifyMerged } from './verify-merged';
import { cleanup } from './cleanup';

export { fullRollback } from './full-rollback';

const ALL: Phase[] = [
  preflight, verifyTarget, authorizeTargetMaster, stopInstances, pauseWatchers, snapshot, removeMasterIps,
  stopMergeeDaemons, stopTargetMaster, writeConfig, startMasterNoVoting, readdNodes, redistribute, restartMaster,
  startInstances, resumeWatchers, verifyMerged, cleanup,
];

export function standardPhases(): Record<PhaseId, Phase> {
  const byId = {} as Record<PhaseId, Phase>;
  for (const p of ALL) byId[p.id] = p;
  for (const p of PHASES) if (!byId[p.id]) throw new Error(`no implementation of phase ${p.id}`);
  return byId;
}
