/**
 * `ganeti-merge config`: merges config.data files offline (spec section 3). Writes OUT only
 * when the merge is clean, atomically, in Ganeti's one-line JSON form; REPORT always when asked.
 */
import { mergeConfigs, type MergeReport } from '../core/config/merge';
import { MergeOptionsError, type MergeOptionsInput } from '../core/config/merge/options';
import { parseConfigFile } from '../core/config/parse';
import { serializeGaneti } from '../core/config/print';
import { ConfigError, type Finding, type GanetiConfig } from '../core/config/types';
import { choice, parseCommandArgs, requiredString, UsageError, type CliIo, type Command } from './args';
import { writeFileAtomicSync } from '../core/atomic-write';
import { checkPaths } from './paths';
import { oneLine, quoted } from '../core/safe-text';

const USAGE = `usage: ganeti-merge config --target TARGET.json --out OUT.json [options] INCOMING.json...

Merges each INCOMING config.data into TARGET (in order) and writes the result to OUT.
Nothing is written to OUT unless every check passes.

options:
  --groups refuse|merge|rename     same-named node groups (default refuse; "none" = refuse)
  --networks refuse|merge|rename   same-named networks (default refuse)
  --params strict|warn             cluster parameter differences: error or warning (default strict)
  --filters drop|copy|error        incoming job filters (default drop)
  --regenerate-macs                give colliding incoming NICs new MACs
  --mac-seed N                     seed for regenerated MACs (default 1)
  --extend-disk-templates          enable disk templates the incoming disks need
  --allow-instances-up             accept incoming instances that are not stopped
  --allow-unknown-fields           keep fields Ganeti may not accept
  --no-pin-node-params             fail (E_NODE_PARAM_CHANGE) instead of pinning changed node ssh_port etc.
  --pin-defaults                   with --params warn: write the incoming cluster's beparams/hvparams/nicparams
                                   defaults into incoming instances/NICs that inherit a changed default
                                   (listed in the report; migration_* hvparams stay W_EFFECTIVE_PARAM_CHANGE)
  --force-input                    accept inputs that already break invariants I-6 and up (W_INPUT_INVALID
                                   instead of E_INPUT_INVALID); I-1..I-5 and missing required fields still refuse
  --now SECONDS                    timestamp written as mtime/ctime (default: current time)
  --report REPORT.json             write the machine-readable report (also on failure)
  -h, --help                       show this help

exit status: 0 merged, 1 refused (one "CODE: message" line per problem on stderr), 2 bad usage`;

const OPTIONS = {
  target: { type: 'string' },
  out: { type: 'string' },
  groups: { type: 'string' },
  networks: { type: 'string' },
  params: { type: 'string' },
  filters: { type: 'string' },
  'regenerate-macs': { type: 'boolean' },
  'mac-seed': { type: 'string' },
  'extend-disk-templates': { type: 'boolean' },
  'allow-instances-up': { type: 'boolean' },
  'allow-unknown-fields': { type: 'boolean' },
  'no-pin-node-params': { type: 'boolean' },
  'pin-defaults': { type: 'boolean' },
  'force-input': { type: 'boolean' },
  now: { type: 'string' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function numberOption(value: string | boolean | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isSafeInteger(n))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'}, got ${quoted(value)}`);
  }
  return n;
}

interface Invocation {
  target: string;
  out: string;
  report?: string;
  incoming: string[];
  options: MergeOptionsInput;
}

function parseInvocation(argv: string[]): Invocation | 'help' {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (values.help) return 'help';
  const target = requiredString(values, 'target');
  const out = requiredString(values, 'out');
  if (positionals.length === 0) throw new UsageError('at least one INCOMING config is required');
  const report = values.report === undefined ? undefined : requiredString(values, 'report');
  const options: MergeOptionsInput = {
    groups: choice(values, 'groups', ['refuse', 'none', 'merge', 'rename'] as const, 'refuse'),
    networks: choice(values, 'networks', ['refuse', 'none', 'merge', 'rename'] as const, 'refuse'),
    params: choice(values, 'params', ['strict', 'warn'] as const, 'strict'),
    filters: choice(values, 'filters', ['drop', 'copy', 'error'] as const, 'drop'),
    regenerateMacs: values['regenerate-macs'] === true,
    extendDiskTemplates: values['extend-disk-templates'] === true,
    allowInstancesUp: values['allow-instances-up'] === true,
    allowUnknownFields: values['allow-unknown-fields'] === true,
    pinNodeParams: values['no-pin-node-params'] !== true,
    pinDefaults: values['pin-defaults'] === true,
    forceInput: values['force-input'] === true,
  };
  const seed = numberOption(values['mac-seed'], 'mac-seed', true);
  if (seed !== undefined) options.macSeed = seed;
  const now = numberOption(values.now, 'now', false);
  if (now !== undefined) options.now = now;
  checkPaths({
    inputs: [{ flag: '--target', path: target }, ...positionals.map((p) => ({ flag: 'INCOMING', path: p }))],
    outputs: [{ flag: '--out', path: out }, ...(report === undefined ? [] : [{ flag: '--report', path: report }])],
  });
  return { target, out, report, incoming: positionals, options };
}

function printFindings(findings: Finding[], io: CliIo): void {
  for (const f of findings) io.stderr(`${f.code}: ${oneLine(f.message)}\n`);
}

/** Atomic write of OUT; an I/O failure is reported like a refusal (nothing partial is left). */
function writeOut(file: string, data: string, io: CliIo): boolean {
  try {
    writeFileAtomicSync(file, data, 0o640);
    return true;
  } catch (err) {
    io.stderr(`E_IO: ganeti-merge config: cannot write ${quoted(file)}: ${(err as NodeJS.ErrnoException).code ?? 'error'}\n`);
    return false;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const inv = parseInvocation(argv);
  if (inv === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const parseErrors: Finding[] = [];
  const read = (file: string): GanetiConfig | undefined => {
    try {
      return parseConfigFile(file);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      parseErrors.push(...err.findings);
      return undefined;
    }
  };
  const target = read(inv.target);
  const incoming = inv.incoming.map((file) => ({ file, config: read(file) }));
  let report: MergeReport | undefined;
  let ok = false;
  if (parseErrors.length === 0 && target) {
    try {
      // The parsed files belong to this command alone, so the merge may use them up instead of copying.
      const options = { ...inv.options, consumeInputs: true };
      const result = mergeConfigs(target, incoming.map((i) => ({ config: i.config as GanetiConfig, source: i.file })), options, inv.target);
      report = result.report;
      if (result.ok && result.merged) ok = writeOut(inv.out, serializeGaneti(result.merged), io);
    } catch (err) {
      if (err instanceof MergeOptionsError) throw new UsageError(err.message);
      throw err;
    }
  }
  const errors = report?.errors ?? parseErrors;
  const warnings = report?.warnings ?? [];
  printFindings(errors, io);
  printFindings(warnings, io);
  if (inv.report) {
    const body = { ok, target: inv.target, incoming: inv.incoming, out: ok ? inv.out : null, ...(report ?? { errors, warnings }) };
    writeFileAtomicSync(inv.report, `${JSON.stringify(body, null, 2)}\n`, 0o640);
  }
  if (ok) io.stdout(`merged ${inv.incoming.length} cluster(s) into ${inv.target}: ${inv.out}\n`);
  return ok ? 0 : 1;
}

export const configCommand: Command = { name: 'config', summary: 'merge config.data files offline', usage: USAGE, run };
