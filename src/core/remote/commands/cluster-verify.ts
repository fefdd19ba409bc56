/**
 * `gnt-cluster verify --error-codes`: each finding is printed as
 *   "<ctime>   - ERROR:ENODESETUP:node:a1.example.com:message"
 * Ignored codes are demoted to warnings by Ganeti itself (--ignore-errors=CODE).
 */
import { RemoteCommand, outputLines } from '../command';

export interface VerifyFinding {
  readonly severity: 'error' | 'warning';
  /** E.g. ENODESETUP; undefined for lines printed without --error-codes. */
  readonly code?: string;
  readonly objectType: string;
  readonly objectName: string;
  readonly message: string;
}

export interface VerifyResult {
  /** Ganeti's own verdict: exit code 0. */
  readonly ok: boolean;
  readonly errors: readonly VerifyFinding[];
  readonly warnings: readonly VerifyFinding[];
  /** "N job(s) failed while verifying the cluster." */
  readonly failedJobs: number;
}

const WITH_CODES = /(?:^|\s)- (ERROR|WARNING):([A-Z0-9_]+):([a-z]+):([^:]*):\s?(.*)$/;
const WITHOUT_CODES = /(?:^|\s)- (ERROR|WARNING): (\w+) ([^:]*): (.*)$/;

export function parseVerifyOutput(lines: readonly string[], exitCode: number): VerifyResult {
  const errors: VerifyFinding[] = [];
  const warnings: VerifyFinding[] = [];
  let failedJobs = 0;
  for (const line of lines) {
    let finding: VerifyFinding | undefined;
    const a = WITH_CODES.exec(line);
    const b = a ? undefined : WITHOUT_CODES.exec(line);
    if (a) {
      finding = { severity: a[1] === 'ERROR' ? 'error' : 'warning', code: a[2], objectType: a[3], objectName: a[4], message: a[5] };
    } else if (b) {
      finding = { severity: b[1] === 'ERROR' ? 'error' : 'warning', objectType: b[2], objectName: b[3].trim(), message: b[4] };
    }
    if (finding) (finding.severity === 'error' ? errors : warnings).push(finding);
    const jobs = /(\d+) job\(s\) failed while verifying the cluster/.exec(line);
    if (jobs) failedJobs = Number(jobs[1]);
  }
  return { ok: exitCode === 0, errors, warnings, failedJobs };
}

export interface VerifyOptions {
  /** Error codes Ganeti should report as warnings (e.g. ENODESETUP on kernels without sysrq). */
  readonly ignoreErrors?: readonly string[];
}

export function clusterVerify(options: VerifyOptions = {}): RemoteCommand<VerifyResult> {
  const ignore = options.ignoreErrors ?? [];
  for (const code of ignore) {
    if (!/^E[A-Z0-9]+$/.test(code)) throw new Error(`invalid verify error code ${JSON.stringify(code)} (expected e.g. ENODESETUP)`);
  }
  return {
    argv: ['gnt-cluster', 'verify', '--error-codes', ...ignore.map((c) => `--ignore-errors=${c}`)],
    timeoutMs: 30 * 60_000,
    okExitCodes: [0, 1], // 1 = findings; they are the result, not a failure to run
    parse: (r) => parseVerifyOutput(outputLines(r), r.code ?? 1),
  };
}
