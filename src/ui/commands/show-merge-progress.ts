import type { UiCommand, UiServices } from '../services';

/** Opens (or reveals) the Merge Progress panel. */
export function showMergeProgressCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.showMergeProgress',
    run() {
      s.progress.show();
    },
  };
}
