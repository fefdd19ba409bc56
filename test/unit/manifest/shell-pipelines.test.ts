// Under `set -o pipefail`, `producer | grep -q X` fails at random: grep exits at the first match, the
// producer dies of SIGPIPE writing the rest, and the pipeline's status is the producer's. The lab's
// `busybox --list | grep -qx httpd` said "busybox-static missing" on a loaded machine that had it.
// `grep X >/dev/null` reads all of its input and has the same meaning.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');

function shellScripts(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : shellScripts(p);
    return e.name.endsWith('.sh') || e.name === 'run' ? [p] : [];
  });
}

describe('shell scripts: no pipeline ends in grep -q (SIGPIPE under pipefail)', () => {
  it('the lab, scripts/ and .ci/ read grep matches with >/dev/null instead', () => {
    const scripts = ['test/lab', 'scripts', '.ci'].flatMap((d) => shellScripts(path.join(root, d)));
    assert.ok(scripts.length >= 10, `found only ${scripts.length} scripts`);
    const offenders = scripts.flatMap((file) => fs.readFileSync(file, 'utf8').split('\n')
      .map((line, i) => ({ line, at: `${path.relative(root, file)}:${i + 1}` }))
      .filter(({ line }) => !line.trimStart().startsWith('#') && /\|\s*grep\s+(-[A-Za-z]*q[A-Za-z]*\b|--quiet\b)/.test(line))
      .map(({ at, line }) => `${at}: ${line.trim()}`));
    assert.deepStrictEqual(offenders, []);
  });
});
