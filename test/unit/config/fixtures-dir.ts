import * as path from 'node:path';

/**
 * Ganeti's own sample configs (test/data/cluster_config_*.json): an optional extra corpus, never
 * part of this repository. $GANETI_FIXTURES_DIR, else the workplace's shared folder beside the
 * checkout; suites that use it say clearly when it is absent and skip.
 */
export const FIXTURES_DIR =
  process.env.GANETI_FIXTURES_DIR ?? path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'ganeti');
