/** Step F (spec 3.8): incoming job filters are dropped (default), copied, or refused (B.13). */
import { byString } from '../json/values';
import type { StepContext } from './step-context';

/** Warnings of the drop/copy policies; "error" is checked with the other preconditions. */
export function checkFilters({ incoming, options, source, f }: StepContext): void {
  const uuids = Object.keys(incoming.filters).sort(byString);
  if (uuids.length === 0) return;
  const clusterName = String(incoming.cluster.cluster_name);
  const listed = uuids.map((u) => `filter ${u} (action ${JSON.stringify(incoming.filters[u].action ?? null)})`);
  if (options.filters === 'drop') {
    f.warn('W_FILTERS_DROPPED', `${uuids.length} job filter(s) of ${clusterName} are not copied (their watermarks are ${clusterName}'s job ids): ${listed.join(', ')}`,
      source, listed);
  } else if (options.filters === 'copy') {
    f.warn('W_PARAM_DIFF', `${uuids.length} job filter(s) of ${clusterName} are copied; their watermarks refer to ${clusterName}'s job ids, not the target's`,
      source, listed);
  }
}

export function applyFilters({ merged, index, incoming, options, source, f: { report } }: StepContext): void {
  for (const uuid of Object.keys(incoming.filters).sort(byString)) {
    const filter = incoming.filters[uuid];
    if (options.filters === 'copy') {
      merged.filters[uuid] = filter;
      index.addFilter(uuid, filter);
      report.copiedFilters.push(uuid);
    } else {
      report.droppedFilters.push({ source, uuid, action: filter.action ?? null });
    }
  }
}
