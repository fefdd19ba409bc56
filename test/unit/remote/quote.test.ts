import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { quoteArg, shellQuote } from '../../../src/core/remote/quote';
import { secret } from '../../../src/core/remote/secret';

/** Runs the quoted command in a real local shell and returns the argv printf received. */
function roundTrip(shell: string, argv: string[]): string[] {
  const out = execFileSync(shell, ['-c', `printf '%s\\0' ${shellQuote(argv)}`]);
  const parts = out.toString('utf8').split('\0');
  parts.pop(); // after the last NUL
  return parts;
}

/** Small deterministic PRNG so a failure can be reproduced. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HOSTILE = [
  'a;rm -rf /', '$(x)', '`x`', "'", '"', "it's", '"$HOME"', '\n', 'a\nb', '\\', '*', '?', '~', '~root',
  '$((1+1))', '${IFS}', '|', '&&', '>', '<', '#comment', '!', '-n', '--', ' ', '\t', '', 'é ✓ 漢字', "'\\''",
];
const ALPHABET = [..."abcXYZ019 \t\n'\"`$\\;|&<>(){}[]*?~#!%^=+,.:/-_@", 'é', '漢', '✓'];

describe('remote/quote: shellQuote', () => {
  for (const shell of ['sh', 'bash']) {
    it(`hostile strings reach ${shell} as the same argv`, () => {
      assert.deepEqual(roundTrip(shell, HOSTILE), HOSTILE);
    });

    it(`300 random hostile argvs round-trip through ${shell} -c`, () => {
      const rnd = prng(shell.length * 7919);
      const batch: string[][] = [];
      for (let i = 0; i < 300; i++) {
        const argv: string[] = [];
        const n = 1 + Math.floor(rnd() * 5);
        for (let a = 0; a < n; a++) {
          let s = '';
          const len = Math.floor(rnd() * 12);
          for (let c = 0; c < len; c++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
          argv.push(s);
        }
        batch.push(argv);
      }
      // One shell per argv would be slow; one NUL-separated call with all of them keeps it honest and quick.
      const flat = batch.flat();
      assert.deepEqual(roundTrip(shell, flat), flat);
    });
  }

  it('leaves plain words readable and quotes everything else', () => {
    assert.equal(shellQuote(['gnt-node', 'list', '--separator=|']), "gnt-node list '--separator=|'");
    assert.equal(quoteArg('/usr/lib/ganeti/daemon-util'), '/usr/lib/ganeti/daemon-util');
    assert.equal(quoteArg(''), "''");
    assert.equal(quoteArg("a'b"), "'a'\\''b'");
  });

  it('refuses NUL bytes and empty commands instead of truncating', () => {
    assert.throws(() => shellQuote(['echo', 'a\0b']), /NUL/);
    assert.throws(() => shellQuote([]), /empty command/);
  });

  it('passes secret arguments unchanged to the shell', () => {
    assert.deepEqual(roundTrip('sh', ['x', secret("p@ss 'w0rd'") as unknown as string]), ['x', "p@ss 'w0rd'"]);
  });
});
