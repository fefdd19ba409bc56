/**
 * Benchmark of the config merge (npm run bench): three generated 3.0 clusters of 500 nodes and
 * 10,000 instances each. Targets: merge (parse 3 strings + mergeConfigs + serialize) at most
 * 2x plain JSON.parse + JSON.stringify of the same bytes; peak memory at most 3x input + 100 MB.
 */
import { mergeConfigs } from '../src/core/config/merge';
import { parseConfig } from '../src/core/config/parse';
import type { GanetiConfig } from '../src/core/config/types';
import { generateCluster } from '../test/unit/config/generator';

const NODES = 500;
const INSTANCES_PER_NODE = 20;
const RUNS = 3;
const MB = 1024 * 1024;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Samples rss/heapUsed while `fn` runs (timer between event-loop turns, plus explicit probes). */
class MemorySampler {
  peakRss = 0;
  peakHeap = 0;
  sample = (): void => {
    const m = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakHeap = Math.max(this.peakHeap, m.heapUsed);
  };
}

function makeInputs(): string[] {
  const clusters = ['alpha', 'beta', 'gamma'].map((name, i) => generateCluster({
    name, nodes: NODES, instancesPerNode: INSTANCES_PER_NODE, version: 3000000, seed: 100 + i,
    drbdFraction: 0.1, withNetwork: true, ipBase: `10.${10 + i}`,
  }));
  for (const c of clusters) for (const inst of Object.values(c.instances)) { inst.admin_state = 'down'; inst.disks_active = false; }
  return clusters.map((c) => JSON.stringify(c));
}

function mergeRun(texts: string[], probe: () => void): string {
  const [t, ...rest] = texts.map((text, i) => parseConfig(text, `cluster${i}.json`));
  probe();
  const result = mergeConfigs(t, rest.map((config, i) => ({ config, source: `cluster${i + 1}.json` })),
    { groups: 'merge', networks: 'rename', now: 1_800_000_000 });
  probe();
  if (!result.ok || !result.merged) {
    throw new Error(`merge failed: ${result.report.errors.slice(0, 5).map((e) => `${e.code}: ${e.message}`).join('\n')}`);
  }
  const out = JSON.stringify(result.merged);
  probe();
  return out;
}

function plainRun(texts: string[]): string {
  const parsed = texts.map((text) => JSON.parse(text) as GanetiConfig);
  return parsed.map((p) => JSON.stringify(p)).join('');
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function main(): void {
  const texts = makeInputs();
  const inputBytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  // Warm-up: JIT both paths once.
  mergeRun(texts, () => undefined);
  plainRun(texts);

  const mergeTimes: number[] = [];
  const plainTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    gc();
    plainTimes.push(time(() => plainRun(texts)));
    gc();
    mergeTimes.push(time(() => mergeRun(texts, () => undefined)));
  }
  // Memory: one separate run, measured against the baseline with the input strings alive.
  gc();
  const baseline = process.memoryUsage();
  const sampler = new MemorySampler();
  const timer = setInterval(sampler.sample, 5);
  mergeRun(texts, sampler.sample);
  clearInterval(timer);
  sampler.sample();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const mergeMs = median(mergeTimes);
  const plainMs = median(plainTimes);
  const ratio = mergeMs / plainMs;
  const rssGrowth = sampler.peakRss - baseline.rss;
  const heapGrowth = sampler.peakHeap - baseline.heapUsed;
  const memLimit = 3 * inputBytes + 100 * MB;
  const rows: [string, string, string, boolean][] = [
    ['input', `${(inputBytes / MB).toFixed(1)} MB (3 x ${NODES} nodes, ${NODES * INSTANCES_PER_NODE} instances)`, '', true],
    ['merge (parse+merge+serialize)', `${mergeMs.toFixed(0)} ms`, '', true],
    ['JSON.parse+stringify', `${plainMs.toFixed(0)} ms`, '', true],
    ['ratio', ratio.toFixed(2), '<= 2.00', ratio <= 2.0],
    ['peak rss growth', `${(rssGrowth / MB).toFixed(0)} MB`, `<= ${(memLimit / MB).toFixed(0)} MB`, rssGrowth <= memLimit],
    ['peak heapUsed growth', `${(heapGrowth / MB).toFixed(0)} MB`, `<= ${(memLimit / MB).toFixed(0)} MB`, heapGrowth <= memLimit],
  ];
  console.log(`runs: ${RUNS} (median); merge ms ${mergeTimes.map((t) => t.toFixed(0)).join('/')}, plain ms ${plainTimes.map((t) => t.toFixed(0)).join('/')}`);
  for (const [name, value, target, pass] of rows) {
    console.log(`${name.padEnd(32)} ${value.padEnd(48)} ${target.padEnd(12)} ${target ? (pass ? 'PASS' : 'FAIL') : ''}`);
  }
  if (rows.some((r) => r[2] && !r[3])) process.exitCode = 1;
}

main();
