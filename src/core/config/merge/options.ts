/** Options of mergeConfigs (spec 3.3), their defaults and validation. */

export type ConflictStrategy = 'refuse' | 'merge' | 'rename';
export type ParamsMode = 'strict' | 'warn';
export type FiltersPolicy = 'drop' | 'copy' | 'error';

export interface MergeOptions {
  /** Same-named node groups: refuse (spec "none"), absorb into the target's, or rename. */
  groups: ConflictStrategy;
  /** Same-named networks: refuse (spec "none"), merge reservations, or rename. */
  networks: ConflictStrategy;
  params: ParamsMode;
  filters: FiltersPolicy;
  /** Replace colliding incoming MACs instead of failing (B.5). */
  regenerateMacs: boolean;
  /** Seed of the MAC generator, so that a merge is reproducible (I-34). */
  macSeed: number;
  extendDiskTemplates: boolean;
  allowInstancesUp: boolean;
  allowUnknownFields: boolean;
  /** Pin changed effective node parameters into node.ndparams (B.6a auto-fix). */
  pinNodeParams: boolean;
  /**
   * A.6 pinDefaults: write the incoming cluster's effective beparams/hvparams/nicparams into the
   * incoming instances and NICs that leave them unset, so the target defaults do not silently
   * change them (never the hypervisor-global migration_* keys).
   */
  pinDefaults: boolean;
  /**
   * A.1 --force-input: an input's own section-4 violations (I-6 and up; never I-1…I-5 or the
   * required fields of 5.3) are warnings (W_INPUT_INVALID) instead of E_INPUT_INVALID, and the
   * same violations carried over into the result are not blamed on the merge.
   */
  forceInput: boolean;
  /** T: float seconds since the epoch, used for every ctime/mtime written. */
  now: number;
  /**
   * The caller hands its input objects over (e.g. freshly parsed files nobody else holds):
   * they are changed in place instead of cloned, saving one copy of every input in memory.
   */
  consumeInputs: boolean;
}

/** What callers may pass: every field optional; "none" accepted as the spec's name of refuse. */
export type MergeOptionsInput = Partial<Omit<MergeOptions, 'groups' | 'networks'>> & {
  groups?: ConflictStrategy | 'none';
  networks?: ConflictStrategy | 'none';
};

export class MergeOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeOptionsError';
  }
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new MergeOptionsError(`option ${name} must be one of ${allowed.join('|')}, got ${JSON.stringify(value)}`);
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new MergeOptionsError(`option ${name} must be a boolean, got ${JSON.stringify(value)}`);
}

function strategy(name: string, value: unknown): ConflictStrategy {
  const s = oneOf(name, value, ['none', 'refuse', 'merge', 'rename'] as const, 'refuse');
  return s === 'none' ? 'refuse' : s;
}

/** Fills defaults and rejects unknown or ill-typed options with a specific message. */
export function resolveMergeOptions(input: MergeOptionsInput = {}): MergeOptions {
  const known = new Set(['groups', 'networks', 'params', 'filters', 'regenerateMacs', 'macSeed',
    'extendDiskTemplates', 'allowInstancesUp', 'allowUnknownFields', 'pinNodeParams', 'pinDefaults', 'forceInput', 'now',
    'consumeInputs']);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new MergeOptionsError(`unknown merge option ${JSON.stringify(key)}`);
  }
  const now = input.now ?? Date.now() / 1000;
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
    throw new MergeOptionsError(`option now must be a non-negative number of seconds, got ${JSON.stringify(now)}`);
  }
  const macSeed = input.macSeed ?? 1;
  if (!Number.isSafeInteger(macSeed)) {
    throw new MergeOptionsError(`option macSeed must be an integer, got ${JSON.stringify(macSeed)}`);
  }
  return {
    groups: strategy('groups', input.groups),
    networks: strategy('networks', input.networks),
    params: oneOf('params', input.params, ['strict', 'warn'] as const, 'strict'),
    filters: oneOf('filters', input.filters, ['drop', 'copy', 'error'] as const, 'drop'),
    regenerateMacs: flag('regenerateMacs', input.regenerateMacs, false),
    macSeed,
    extendDiskTemplates: flag('extendDiskTemplates', input.extendDiskTemplates, false),
    allowInstancesUp: flag('allowInstancesUp', input.allowInstancesUp, false),
    allowUnknownFields: flag('allowUnknownFields', input.allowUnknownFields, false),
    pinNodeParams: flag('pinNodeParams', input.pinNodeParams, true),
    pinDefaults: flag('pinDefaults', input.pinDefaults, false),
    forceInput: flag('forceInput', input.forceInput, false),
    consumeInputs: flag('consumeInputs', input.consumeInputs, false),
    now,
  };
}
