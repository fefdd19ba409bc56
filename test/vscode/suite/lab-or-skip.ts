// The Ganeti lab as seen from the extension host: its description, or a loud skip when it is not up.
// Tests only READ from the lab (another suite may be merging or resetting it).
import { spawnSync } from 'child_process';
import { labInfo, type LabInfo } from '../../lab/lab';

export function labOrSkip(ctx: Mocha.Context): LabInfo {
  const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  let reason: string | undefined;
  // the lab this run was given (GCM_LAB_NETNS, forwarded into the extension host), not the default one
  const name = process.env.GCM_LAB_NETNS ?? 'gcm-sw';
  if (netns.status !== 0 || !netns.stdout.split('\n').some((l) => l.split(' ')[0] === name)) reason = `the lab network namespace ${name} does not exist (run \`npm run lab:up\` as root)`;
  let info: LabInfo | undefined;
  if (!reason) {
    try {
      info = labInfo();
    } catch (err) {
      reason = (err as Error).message;
    }
  }
  if (!info) {
    const banner = '#'.repeat(78);
    console.warn(`\n${banner}\n# SKIPPING lab-dependent VS Code test "${ctx.test?.fullTitle() ?? ctx.currentTest?.fullTitle()}": ${reason}\n${banner}\n`);
    ctx.skip();
  }
  return info!;
}
