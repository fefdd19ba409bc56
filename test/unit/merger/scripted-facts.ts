// Preflight facts of a small scripted pair of clusters (alpha: a1; beta: b1, b2), for phase tests
// that start past preflight.
import type { PreflightFacts } from '../../../src/core/merger/facts';

const node = (name: string) => ({ name, offline: false, role: 'regular' as const, group: 'default' });

export const ALPHA_BETA_FACTS: PreflightFacts = {
  target: { given: 'alpha', name: 'alpha.example.com', uuid: 'u-a', master: 'a1', version: '3.0.2', major: 3, nodes: [node('a1')], instances: [], groups: [] },
  mergees: [{ given: 'beta', name: 'beta.example.com', uuid: 'u-b', master: 'b1', version: '3.0.2', major: 3, nodes: [node('b1'), node('b2')], instances: [], groups: [] }],
  mergeSummary: 'target alpha: 1 node(s)',
};
