/** The machine-readable merge report (spec 3.9) and the collector every step writes into. */
import type { ErrorCode, WarningCode } from '../codes';
import type { Finding } from '../types';
import { oneLine } from '../../safe-text';

export interface RenameRecord { source: string; uuid: string; from: string; to: string }
/** `into` is the uuid of the target's object that absorbed it, `intoName` that object's name (for people). */
export interface AbsorbRecord { source: string; uuid: string; name: string; into: string; intoName?: string }
export interface DiskPortRecord { source: string; disk: string; instance: string | null; from: number; to: number }
export interface ConsolePortRecord { source: string; instance: string; from: number; to: number }
export interface MacRecord { source: string; instance: string; nic: string; from: string; to: string }
export interface PinRecord { source: string; node: string; param: string; value: unknown }
/** pinDefaults: `param` is e.g. "beparams.maxmem" or "nics[0].nicparams.link". */
export interface InstancePinRecord { source: string; instance: string; param: string; value: unknown }
export interface FilterRecord { source: string; uuid: string; action: unknown }
export interface OfflineRecord {
  source: string; node: string;
  previous: { master_candidate: unknown; offline: unknown; drained: unknown };
}

export interface MergeReport {
  errors: Finding[];
  warnings: Finding[];
  renamedGroups: RenameRecord[];
  absorbedGroups: AbsorbRecord[];
  renamedNetworks: RenameRecord[];
  absorbedNetworks: AbsorbRecord[];
  reallocatedDiskPorts: DiskPortRecord[];
  reallocatedConsolePorts: ConsolePortRecord[];
  regeneratedMacs: MacRecord[];
  pinnedNodeParams: PinRecord[];
  pinnedInstanceParams: InstancePinRecord[];
  droppedFilters: FilterRecord[];
  copiedFilters: string[];
  /** Incoming nodes whose flags were not already the canonical offline state (5.6). */
  nodesForcedOffline: OfflineRecord[];
  addedDiskTemplates: string[];
}

export function emptyReport(): MergeReport {
  return {
    errors: [], warnings: [], renamedGroups: [], absorbedGroups: [], renamedNetworks: [],
    absorbedNetworks: [], reallocatedDiskPorts: [], reallocatedConsolePorts: [], regeneratedMacs: [],
    pinnedNodeParams: [], pinnedInstanceParams: [], droppedFilters: [], copiedFilters: [], nodesForcedOffline: [], addedDiskTemplates: [],
  };
}

/** Collects findings of one merge; `source` names the input being processed. */
export class Findings {
  constructor(readonly report: MergeReport) {}

  error(code: ErrorCode, message: string, source?: string, objects?: string[]): void {
    this.report.errors.push(finding(code, 'error', message, source, objects));
  }

  warn(code: WarningCode, message: string, source?: string, objects?: string[]): void {
    this.report.warnings.push(finding(code, 'warning', message, source, objects));
  }

  /** Error in strict mode, the given warning otherwise. */
  strictOr(strict: boolean, code: ErrorCode, warning: WarningCode, message: string, source?: string, objects?: string[]): void {
    if (strict) this.error(code, message, source, objects);
    else this.warn(warning, message, source, objects);
  }

  get errorCount(): number {
    return this.report.errors.length;
  }
}

/** Messages quote input names, keys and values: control characters escaped once, here, for every front end. */
function finding(code: Finding['code'], severity: Finding['severity'], message: string, source?: string, objects?: string[]): Finding {
  const f: Finding = { code, severity, message: oneLine(message) };
  if (source !== undefined) f.source = source;
  if (objects !== undefined && objects.length > 0) f.objects = objects;
  return f;
}

/** "node n1.example.com (uuid)" — the way findings name objects. */
export function describe(kind: string, name: string | undefined, uuid: string): string {
  return name ? `${kind} ${name} (${uuid})` : `${kind} ${uuid}`;
}
