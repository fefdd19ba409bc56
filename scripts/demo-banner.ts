// What the editor demo prints once it is ready, and how a test reads it back: one place for the format.

export interface DemoBanner {
  url: string;
  password: string;
  /** The demo's temporary folder (profile, extensions, logs); gone after Ctrl-C. */
  tempDir: string;
}

const URL_LABEL = 'demo: open     ';
const PASSWORD_LABEL = 'demo: password ';
const TEMP_LABEL = 'demo: temp dir ';
/** The last line of the banner: everything above it has been printed. */
export const READY_LINE = 'demo: ready; Ctrl-C stops it.';

export function formatBanner(banner: DemoBanner, target: string, mergees: string[], teardown: string): string {
  return [
    '',
    `${URL_LABEL}${banner.url}`,
    `${PASSWORD_LABEL}${banner.password}`,
    `${TEMP_LABEL}${banner.tempDir}`,
    'demo: from another machine: ssh -L PORT:127.0.0.1:PORT root@THIS-HOST, then open the URL there.',
    `demo: in VS Code: the Ganeti view lists the lab clusters; run "Ganeti: Merge Clusters" (F1) with target ${target}`,
    `      and mergees ${mergees.join(', ')}; "Ganeti: Show Merged Config Diff" reviews the merged config first.`,
    `demo: Ctrl-C ${teardown}.`,
    READY_LINE,
    '',
  ].join('\n');
}

/** Reads the banner back from the demo's output; undefined until READY_LINE has been printed. */
export function parseBanner(output: string): DemoBanner | undefined {
  if (!output.includes(READY_LINE)) return undefined;
  const value = (label: string): string => {
    const line = output.split('\n').find((l) => l.startsWith(label));
    if (line === undefined) throw new Error(`the demo printed "${READY_LINE}" but no "${label.trim()}" line`);
    return line.slice(label.length).trim();
  };
  return { url: value(URL_LABEL), password: value(PASSWORD_LABEL), tempDir: value(TEMP_LABEL) };
}
