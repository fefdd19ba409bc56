/**
 * What every step of one fold works on (spec 3.4–3.6): the merged-so-far config and its index,
 * the incoming config being folded in, the options, the one timestamp T and the findings.
 * One object instead of the same 7–10 positional parameters on every step.
 */
import type { MergedIndex } from './merged-index';
import type { MergeOptions } from './options';
import type { PortAllocator } from './ports';
import type { Findings } from './report';
import type { SeededRandom } from './seeded-random';
import type { GanetiConfig, Instance } from '../types';

export interface StepContext {
  merged: GanetiConfig;
  index: MergedIndex;
  /** the incoming config (already cloned or handed over) */
  incoming: GanetiConfig;
  /** the incoming instances in name order */
  instances: Instance[];
  /** the input's name, for messages and the report */
  source: string;
  options: MergeOptions;
  /** T: the merge's one timestamp (options.now) */
  now: number;
  ports: PortAllocator;
  random: SeededRandom;
  f: Findings;
}
