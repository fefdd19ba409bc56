/**
 * The front door under a hostile corpus (issue 14, items 1-6): deep nesting, file-system errors,
 * outputs aliasing inputs, hostile cluster/host/user names, names Ganeti would never accept, and
 * input bytes that try to reach the terminal, over every sub-command. Each case runs main() with
 * captured output in its own temp dir and asserts: the expected code on the first line, the exit
 * status, no stack trace, no raw control character in the output, no file created, changed or
 * removed anywhere in the dir, and (for every refusal) no DNS lookup and no connection attempt.
 * A subset runs the bundled CLI as a child with a --require guard that records any network use.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import dns from 'node:dns';
import * as fs from 'node:fs';
import net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { main } from '../../../src/cli/main';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import type { GanetiConfig } from '../../../src/core/config/types';
import { cluster } from '../config/merge-helpers';

const ROOT = path.resolve(__dirname, '../../..');

/** Everything in a dir tree: relative path -> kind and content hash (or link target). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel))) {
      const r = path.join(rel, name);
      const st = fs.lstatSync(path.join(dir, r));
      if (st.isSymbolicLink()) out.set(r, `link:${fs.readlinkSync(path.join(dir, r))}`);
      else if (st.isDirectory()) { out.set(r, 'dir'); walk(r); }
      else if (st.isFile()) out.set(r, `file:${st.ino}:${createHash('sha256').update(fs.readFileSync(path.join(dir, r))).digest('hex')}`);
      else out.set(r, `special:${st.mode}`);
    }
  };
  walk('.');
  return out;
}

/** Raw control characters (C0 but newline, DEL, C1) must never reach the terminal. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/; // eslint-disable-line no-control-regex
const STACK = /\n\s+at .*(\(|:\d+:\d+)/;

interface Ctx {
  dir: string;
  /** A path in the case dir. */
  p: (name: string) => string;
  /** A valid journal of a merge that has run nothing yet. */
  journal: (name?: string, patch?: (doc: Record<string, unknown>) => void) => string;
  config: (name: string, c?: GanetiConfig) => string;
  text: (name: string, body: string) => string;
}

interface Case {
  name: string;
  setup?: (ctx: Ctx) => void;
  args: (ctx: Ctx) => string[];
  code: string;
  exit: 1 | 2;
  /** Extra checks on stderr/stdout. */
  check?: (out: { stdout: string; stderr: string }, ctx: Ctx) => void;
}

const alpha = cluster('alpha');
const beta = cluster('beta');

function makeCtx(dir: string): Ctx {
  const p = (name: string) => path.join(dir, name);
  return {
    dir, p,
    journal: (name = 'j.json', patch) => {
      const file = p(name);
      Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb'] }, 'merge-corpus-1');
      if (patch) {
        const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
        patch(doc);
        fs.writeFileSync(file, JSON.stringify(doc));
      }
      return file;
    },
    config: (name, c = alpha) => {
      fs.writeFileSync(p(name), JSON.stringify(c));
      return p(name);
    },
    text: (name, body) => {
      fs.writeFileSync(p(name), body);
      return p(name);
    },
  };
}

/** A copy of beta whose first node (or instance) gets `name`. */
function betaWith(kind: 'nodes' | 'instances', name: string, second?: string): GanetiConfig {
  const c = structuredClone(beta);
  const objects = Object.values(c[kind]) as Array<{ name: string }>;
  objects[0].name = name;
  if (second !== undefined) objects[1].name = second;
  return c;
}

const nested = (depth: number, open = '[', close = ']', inner = '1') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const REMOTE = ['step', 'rollback', 'resume', 'forget'] as const;
const JOURNAL_COMMANDS = [...REMOTE, 'status', 'report'] as const;
const CREATING = ['plan', 'run'] as const;
const ALL = ['config', ...CREATING, ...JOURNAL_COMMANDS] as const;

const configArgs = (ctx: Ctx, ...extra: string[]) =>
  ['config', '--target', ctx.config('t.json'), '--out', ctx.p('out.json'), '--now', '1800000000', ...extra];
const planArgs = (cmd: string, ctx: Ctx, ...extra: string[]) =>
  [cmd, '--target', 'ca', '--mergee', 'cb', '--journal', ctx.p('new.json'), ...extra];

function corpus(): Case[] {
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);

  // 1. Deep nesting: any depth ends in E_MALFORMED, never a stack overflow.
  for (const depth of [65, 1000, 100_000, 1_000_000]) {
    add({ name: `config: target nested ${depth} arrays deep`, code: 'E_MALFORMED', exit: 1,
      args: (ctx) => ['config', '--target', ctx.text('deep.json', nested(depth)), '--out', ctx.p('out.json'), ctx.config('b.json', beta)],
      check: ({ stderr }) => assert.match(stderr, /nested \d+ levels deep|must be a JSON object/) });
    add({ name: `config: incoming with objects nested ${depth} deep`, code: 'E_MALFORMED', exit: 1,
      args: (ctx) => [...configArgs(ctx), ctx.text('deep.json', nestedObject(depth))],
      check: ({ stderr }) => assert.match(stderr, /nested \d+ levels deep/) });
    add({ name: `config: ${depth} levels deep inside a real config`, code: 'E_MALFORMED', exit: 1,
      args: (ctx) => {
        const text = JSON.stringify(beta).replace(/^\{/, `{"deep":${nested(depth)},`);
        return [...configArgs(ctx), ctx.text('deep.json', text)];
      },
      check: ({ stderr }) => assert.match(stderr, /nested \d+ levels deep/) });
    add({ name: `config: ${depth} levels deep and then broken`, code: 'E_MALFORMED', exit: 1,
      args: (ctx) => [...configArgs(ctx), ctx.text('deep.json', `${'['.repeat(depth)}1,}`)],
      check: ({ stderr }) => assert.match(stderr, /not valid JSON/) });
    for (const cmd of JOURNAL_COMMANDS) {
      add({ name: `${cmd}: journal nested ${depth} deep`, code: 'E_JOURNAL_INVALID', exit: 1,
        args: (ctx) => [cmd, '--journal', ctx.text('j.json', nestedObject(depth))] });
    }
  }
  add({ name: 'config: 64 levels deep is still parsed (then refused for what it is)', code: 'E_MALFORMED', exit: 1,
    args: (ctx) => [...configArgs(ctx), ctx.text('deep.json', nested(64))],
    check: ({ stderr }) => assert.match(stderr, /must be a JSON object/) });

  // 2. File-system errors, each with its own code and the path named.
  const fsInputs: Array<[string, (ctx: Ctx) => string, string]> = [
    ['missing', (ctx) => ctx.p('nope.json'), 'E_PATH_MISSING'],
    ['a directory', (ctx) => { fs.mkdirSync(ctx.p('adir')); return ctx.p('adir'); }, 'E_PATH_IS_DIRECTORY'],
    ['a FIFO', (ctx) => { spawnSync('mkfifo', [ctx.p('fifo')]); return ctx.p('fifo'); }, 'E_PATH_NOT_FILE'],
    ['under a file', (ctx) => path.join(ctx.text('plain', 'x'), 'j.json'), 'E_PATH_MISSING'],
    ['a symlink loop', (ctx) => { fs.symlinkSync('loop', ctx.p('loop')); return ctx.p('loop'); }, 'E_PATH_MISSING'],
    ['a dangling symlink', (ctx) => { fs.symlinkSync('gone', ctx.p('dangling')); return ctx.p('dangling'); }, 'E_PATH_MISSING'],
  ];
  for (const [what, make, code] of fsInputs) {
    add({ name: `config: --target ${what}`, code, exit: 1,
      args: (ctx) => ['config', '--target', make(ctx), '--out', ctx.p('out.json'), ctx.config('b.json', beta)],
      check: ({ stderr }) => assert.match(stderr, /--target "/) });
    add({ name: `config: INCOMING ${what}`, code, exit: 1, args: (ctx) => [...configArgs(ctx), make(ctx)],
      check: ({ stderr }) => assert.match(stderr, /INCOMING "/) });
    for (const cmd of JOURNAL_COMMANDS) {
      add({ name: `${cmd}: --journal ${what}`, code, exit: 1, args: (ctx) => [cmd, '--journal', make(ctx)],
        check: ({ stderr }) => assert.match(stderr, /--journal "/) });
    }
    for (const cmd of [...CREATING, ...REMOTE]) {
      for (const flag of ['--ssh-config', '--known-hosts', '--identity']) {
        if (what !== 'a directory' && flag !== '--ssh-config') continue;
        add({ name: `${cmd}: ${flag} ${what}`, code, exit: 1,
          args: (ctx) => (cmd === 'plan' || cmd === 'run' ? planArgs(cmd, ctx, flag, make(ctx)) : [cmd, '--journal', ctx.journal(), flag, make(ctx)]),
          check: ({ stderr }) => assert.ok(stderr.includes(`${flag} "`), stderr) });
      }
    }
  }
  const fsOutputs: Array<[string, (ctx: Ctx) => string, string]> = [
    ['in a missing directory', (ctx) => ctx.p('no/such/dir/o.json'), 'E_OUT_DIR_MISSING'],
    ['under a regular file', (ctx) => path.join(ctx.text('plain', 'x'), 'o.json'), 'E_OUT_DIR_MISSING'],
    ['a directory', (ctx) => { fs.mkdirSync(ctx.p('odir')); return ctx.p('odir'); }, 'E_OUT_IS_DIRECTORY'],
    ['a FIFO', (ctx) => { spawnSync('mkfifo', [ctx.p('ofifo')]); return ctx.p('ofifo'); }, 'E_OUT_NOT_FILE'],
  ];
  for (const [what, make, code] of fsOutputs) {
    add({ name: `config: --out ${what}`, code, exit: 1,
      args: (ctx) => ['config', '--target', ctx.config('t.json'), '--out', make(ctx), ctx.config('b.json', beta)] });
    add({ name: `config: --report ${what}`, code, exit: 1, args: (ctx) => [...configArgs(ctx, '--report', make(ctx)), ctx.config('b.json', beta)] });
    if (code !== 'E_OUT_IS_DIRECTORY' && code !== 'E_OUT_NOT_FILE') {
      for (const cmd of CREATING) {
        add({ name: `${cmd}: --journal ${what}`, code, exit: 1,
          args: (ctx) => [cmd, '--target', 'ca', '--mergee', 'cb', '--journal', make(ctx)] });
      }
    }
  }
  add({ name: 'plan: --journal that exists already', code: 'E_JOURNAL_EXISTS', exit: 1,
    args: (ctx) => [...planArgs('plan', ctx).slice(0, -2), '--journal', ctx.journal()] });
  add({ name: 'plan: --journal that is a directory', code: 'E_OUT_IS_DIRECTORY', exit: 1,
    args: (ctx) => { fs.mkdirSync(ctx.p('jd')); return [...planArgs('plan', ctx).slice(0, -2), '--journal', ctx.p('jd')]; } });
  add({ name: 'run: --journal that is a directory', code: 'E_PATH_IS_DIRECTORY', exit: 1,
    args: (ctx) => { fs.mkdirSync(ctx.p('jd')); return [...planArgs('run', ctx).slice(0, -2), '--journal', ctx.p('jd')]; } });

  // 3. An output that is an input under another name.
  const aliases: Array<[string, (ctx: Ctx, target: string) => string]> = [
    ['a symlink to it', (ctx, t) => { fs.symlinkSync(t, ctx.p('ln.json')); return ctx.p('ln.json'); }],
    ['a hard link to it', (ctx, t) => { fs.linkSync(t, ctx.p('hard.json')); return ctx.p('hard.json'); }],
    ['reached through a symlinked directory', (ctx, t) => { fs.symlinkSync(ctx.dir, ctx.p('via')); return path.join(ctx.p('via'), path.basename(t)); }],
    ['reached by .. through a symlink', (ctx, t) => {
      fs.mkdirSync(ctx.p('deep/er'), { recursive: true });
      fs.symlinkSync(ctx.p('deep/er'), ctx.p('jump'));
      // Not path.join: it would fold the '..' lexically; the kernel follows the link first.
      return `${ctx.p('jump')}/../../${path.basename(t)}`;
    }],
    ['a symlink to a symlink to it', (ctx, t) => {
      fs.symlinkSync(t, ctx.p('l1'));
      fs.symlinkSync(ctx.p('l1'), ctx.p('l2'));
      return ctx.p('l2');
    }],
  ];
  for (const [what, alias] of aliases) {
    add({ name: `config: --out is the target as ${what}`, code: 'E_OUT_ALIASES_INPUT', exit: 2,
      args: (ctx) => { const t = ctx.config('t.json'); return ['config', '--target', t, '--out', alias(ctx, t), ctx.config('b.json', beta)]; } });
    add({ name: `config: --out is INCOMING as ${what}`, code: 'E_OUT_ALIASES_INPUT', exit: 2,
      args: (ctx) => { const b = ctx.config('b.json', beta); return ['config', '--target', ctx.config('t.json'), '--out', alias(ctx, b), b]; } });
    add({ name: `config: --report is the target as ${what}`, code: 'E_OUT_ALIASES_INPUT', exit: 2,
      args: (ctx) => { const t = ctx.config('t.json'); return ['config', '--target', t, '--out', ctx.p('o.json'), '--report', alias(ctx, t), ctx.config('b.json', beta)]; } });
    add({ name: `config: --report is --out as ${what}`, code: 'E_OUT_ALIASES_INPUT', exit: 2,
      args: (ctx) => {
        const o = ctx.text('o.json', 'previous output');
        return ['config', '--target', ctx.config('t.json'), '--out', o, '--report', alias(ctx, o), ctx.config('b.json', beta)];
      } });
    for (const cmd of ['run', ...REMOTE] as const) {
      for (const flag of ['--ssh-config', '--known-hosts', '--identity']) {
        if (flag !== '--ssh-config' && what !== 'a hard link to it') continue;
        add({ name: `${cmd}: --journal is ${flag} as ${what}`, code: 'E_OUT_ALIASES_INPUT', exit: 2,
          args: (ctx) => {
            const j = ctx.journal();
            return [cmd, '--journal', j, flag, alias(ctx, j)];
          } });
      }
    }
  }

  // 4. Hostile cluster names, refused before any journal, lookup or connection.
  const hostile = ['a;rm -rf /', '$(id)', '`id`', 'a b', '-oProxyCommand=sh', 'a..b', '.a', 'a_b', 'x'.repeat(300),
    'ä.example', 'a/b', '*', "a'b", 'a|b', 'a>b', `${'a.'.repeat(130)}b`, 'host:22', 'user@host', '[::1]'];
  for (const cmd of CREATING) {
    for (const name of hostile) {
      add({ name: `${cmd}: --target ${JSON.stringify(name.slice(0, 40))}`, code: 'E_NAME_INVALID', exit: 2,
        args: (ctx) => [cmd, `--target=${name}`, '--mergee', 'cb', '--journal', ctx.p('new.json')],
        check: ({ stderr }) => assert.match(stderr, /--target must be a host name or IP address/) });
    }
    for (const name of ['a;b', '$(reboot)', 'a b', '-x', 'x'.repeat(254)]) {
      add({ name: `${cmd}: --mergee ${JSON.stringify(name.slice(0, 40))}`, code: 'E_NAME_INVALID', exit: 2,
        args: (ctx) => [cmd, '--target', 'ca', `--mergee=${name}`, '--journal', ctx.p('new.json')] });
    }
    for (const [target, mergee] of [['ca', 'ca'], ['ca', 'CA'], ['ca', 'ca.'], ['ca.example', 'CA.EXAMPLE.']]) {
      add({ name: `${cmd}: target ${target} and mergee ${mergee} are one cluster`, code: 'E_NAME_INVALID', exit: 2,
        args: (ctx) => [cmd, '--target', target, '--mergee', mergee, '--journal', ctx.p('new.json')],
        check: ({ stderr }) => assert.match(stderr, /each cluster named once/) });
    }
    add({ name: `${cmd}: the same mergee twice (case and dot differ)`, code: 'E_NAME_INVALID', exit: 2,
      args: (ctx) => [cmd, '--target', 'ca', '--mergee', 'cb', '--mergee', 'CB.', '--journal', ctx.p('new.json')] });
    for (const user of ['root;id', '-oProxyCommand=sh', 'Root Admin', 'x'.repeat(40)]) {
      add({ name: `${cmd}: --user ${JSON.stringify(user.slice(0, 20))}`, code: 'E_NAME_INVALID', exit: 2,
        args: (ctx) => planArgs(cmd, ctx, `--user=${user}`) });
    }
    for (const code of ['x; rm', 'enodesetup', 'E', '-I', 'ENODE SETUP']) {
      add({ name: `${cmd}: --ignore-verify-error ${JSON.stringify(code)}`, code: 'E_PLAN_OPTION', exit: 2,
        args: (ctx) => planArgs(cmd, ctx, `--ignore-verify-error=${code}`) });
    }
    for (const [flag, value] of [['--concurrency', '0'], ['--concurrency', '65'], ['--concurrency', '1e3'], ['--watcher-pause', '59'], ['--watcher-pause', '-1']]) {
      add({ name: `${cmd}: ${flag} ${value}`, code: 'E_PLAN_OPTION', exit: 2, args: (ctx) => planArgs(cmd, ctx, `${flag}=${value}`) });
    }
  }
  // A journal edited by hand carries the same names into every later command.
  const tampered: Array<[string, (doc: Record<string, unknown>) => void]> = [
    ['target "a;reboot"', (d) => { (d.options as Record<string, unknown>).target = 'a;reboot'; }],
    ['mergee "$(id)"', (d) => { (d.options as Record<string, unknown>).mergees = ['$(id)']; }],
    ['target with a newline', (d) => { (d.options as Record<string, unknown>).target = 'ca\nE_FAKE: all good'; }],
    ['mergee equal to the target', (d) => { (d.options as Record<string, unknown>).mergees = ['CA.']; }],
    ['verify code "-x;id"', (d) => { (d.options as Record<string, unknown>).ignoredVerifyCodes = ['-x;id']; }],
    ['concurrency 10000', (d) => { (d.options as Record<string, unknown>).concurrency = 10000; }],
  ];
  for (const cmd of JOURNAL_COMMANDS) {
    for (const [what, patch] of tampered) {
      add({ name: `${cmd}: journal with ${what}`, code: 'E_JOURNAL_INVALID', exit: 1,
        args: (ctx) => [cmd, '--journal', ctx.journal('j.json', patch)],
        check: ({ stderr }) => assert.match(stderr, /is not a merge journal: options\.\w+ is invalid/) });
    }
  }

  // Undo records and facts name the hosts a rollback or forget acts on: refused before any of them.
  const record = (host: unknown, data: Record<string, unknown>) => ({ seq: 1, kind: 'running-instances', host, data, done: true });
  const tamperedRecords: Array<[string, (doc: Record<string, any>) => void, RegExp]> = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an undo record on host "b1;reboot"', (d) => { d.phases['stop-instances'].records = [record('b1;reboot', { names: [] })]; }, /a record running-instances has an invalid host/],
    ['an undo record whose stopped is one string', (d) => { d.phases['stop-instances'].records = [record('b1', { names: ['i1'], stopped: 'i1' })]; }, /invalid data\.stopped/],
    ['a command log that is a string', (d) => { d.commands = 'x'; }, /invalid commands/],
    ['an after-merge inventory without nodes', (d) => { d.afterMerge = { at: 1, cluster: 'ca', nodes: null, instances: [] }; }, /invalid afterMerge/],
    ['createdAt as a string', (d) => { d.createdAt = 'yesterday'; }, /invalid createdAt/],
    ['a phase error that is a number', (d) => { d.phases.preflight.state = 'failed'; d.phases.preflight.error = 7; }, /invalid phase preflight times or error/],
    ['write-config done while every earlier phase is pending', (d) => { d.phases['write-config'].state = 'done'; }, /phases out of order/],
    ['a node named "-oProxyCommand=sh" in the facts', (d) => {
      const c = { given: 'cb', name: 'cb', uuid: 'u', master: 'b1', version: '3.0.2', major: 3, nodes: [{ name: '-oProxyCommand=sh', offline: false }], instances: [], groups: [] };
      d.facts = { target: { ...c, name: 'ca', master: 'a1', nodes: [] }, mergees: [c], mergeSummary: '' };
    }, /invalid facts: cluster "cb" has invalid nodes/],
  ];
  for (const cmd of JOURNAL_COMMANDS) {
    for (const [what, patch, message] of tamperedRecords) {
      add({ name: `${cmd}: journal with ${what}`, code: 'E_JOURNAL_INVALID', exit: 1,
        args: (ctx) => [cmd, '--journal', ctx.journal('j.json', patch)],
        check: ({ stderr }) => assert.match(stderr, message) });
    }
  }

  // 5. Names Ganeti would never accept, refused at parse with the object named.
  const badObjectNames: Array<[string, 'nodes' | 'instances', string, string | undefined, RegExp]> = [
    ['node name with a trailing dot', 'nodes', 'node1.beta.example.', undefined, /ends with a dot/],
    ['instance name with a trailing dot', 'instances', 'inst1.beta.example.', undefined, /ends with a dot/],
    ['two nodes that differ by a trailing dot', 'nodes', 'twin.beta.example', 'twin.beta.example.', /twin\.beta\.example/],
    ['two instances that differ by case and a dot', 'instances', 'twin.beta.example', 'TWIN.beta.example.', /twin\.beta\.example/i],
    ['node name with a carriage return', 'nodes', 'n1\rE_FAKE: ok', undefined, /control character/],
    ['instance name with an escape sequence', 'instances', 'i1\u001b[2Kx', undefined, /control character/],
    ['node name with a newline', 'nodes', 'n1\nE_FAKE: all good', undefined, /control character/],
    ['instance name with shell metacharacters', 'instances', 'i1;reboot', undefined, /not a host name/],
    ['node name $(id)', 'nodes', '$(id).beta.example', undefined, /not a host name/],
    ['node name of 300 characters', 'nodes', 'n'.repeat(300), undefined, /300 characters long/],
    ['instance name with an empty label', 'instances', 'a..b', undefined, /not a host name/],
    ['node name starting with a dash', 'nodes', '-oProxyCommand=x', undefined, /not a host name/],
    ['instance name with a bidi override', 'instances', 'i1\u202eexe', undefined, /control character/],
  ];
  for (const [what, kind, name, second, message] of badObjectNames) {
    add({ name: `config: incoming ${what}`, code: 'E_INPUT_INVALID', exit: 1,
      args: (ctx) => [...configArgs(ctx, '--groups', 'merge'), ctx.config('b.json', betaWith(kind, name, second))],
      check: ({ stderr }) => {
        assert.match(stderr, message);
        assert.match(stderr, kind === 'nodes' ? /\bnode\b/ : /\binstance\b/);
      } });
    add({ name: `config: target with ${what}`, code: 'E_INPUT_INVALID', exit: 1,
      args: (ctx) => ['config', '--target', ctx.config('t.json', betaWith(kind, name, second)), '--out', ctx.p('o.json'), ctx.config('a.json', alpha)] });
  }

  // 6. Input bytes never reach the terminal raw; a file that fails to parse is never quoted.
  const forged = ['x\rE_FAKE: all good', 'x\u001b[2K\u001b[1GE_FAKE: all good', 'x\u009bE_FAKE', 'x\u0007bell'];
  for (const cmd of ALL) {
    for (const bad of forged) {
      add({ name: `${cmd}: an argument with ${JSON.stringify(bad.slice(1, 6))}`, code: 'E_ARG_INVALID', exit: 2,
        args: (ctx) => (cmd === 'config' ? ['config', '--target', ctx.config('t.json'), '--out', ctx.p(bad), 'b.json']
          : cmd === 'plan' || cmd === 'run' ? [cmd, '--target', 'ca', '--mergee', 'cb', '--journal', ctx.p(bad)]
            : [cmd, '--journal', ctx.p(bad)]) });
    }
  }
  const secrets = ['SECRET=hunter2-abcdef\n', 'hunter2-abcdef', '{"password": hunter2-abcdef}', '\u0000\u0001hunter2-abcdef', '-----BEGIN OPENSSH PRIVATE KEY-----\nhunter2-abcdef\n'];
  for (const cmd of JOURNAL_COMMANDS) {
    for (const body of secrets) {
      add({ name: `${cmd}: a non-journal file ${JSON.stringify(body.slice(0, 12))} is not quoted`, code: 'E_JOURNAL_INVALID', exit: 1,
        args: (ctx) => [cmd, '--journal', ctx.text('secret.txt', body)],
        check: ({ stderr }) => assert.doesNotMatch(stderr, /hunter2/) });
    }
  }
  for (const body of secrets.slice(0, 3)) {
    add({ name: `config: a non-JSON target ${JSON.stringify(body.slice(0, 12))} is not quoted`, code: 'E_MALFORMED', exit: 1,
      args: (ctx) => ['config', '--target', ctx.text('secret.txt', body), '--out', ctx.p('o.json'), ctx.config('b.json', beta)],
      check: ({ stderr }) => assert.doesNotMatch(stderr, /hunter2/) });
  }
  // 7. Numbers JSON.parse cannot carry exactly would be written back changed: refused at parse, the first named.
  const inexact: Array<[string, string]> = [['1E400', 'an overflowing exponent'], ['12345678901234567890123', 'an integer beyond 2^53'], ['-1e309', 'a negative overflow']];
  for (const [lexeme, what] of inexact) {
    const uuid = Object.keys(beta.instances)[1];
    add({ name: `config: incoming instance beparams with ${what}`, code: 'E_MALFORMED', exit: 1,
      args: (ctx) => [...configArgs(ctx, '--groups', 'merge'),
        ctx.text('b.json', JSON.stringify(beta).replace(`"${uuid}":{`, `"${uuid}":{"x_extra":{"x":${lexeme},"y":[${lexeme}]},`))],
      check: ({ stderr }) => {
        assert.ok(stderr.includes(`the number at $["instances"]["${uuid}"]["x_extra"]["x"] is beyond`), stderr);
        assert.match(stderr, /\(2 such numbers in the file\)\n$/);
        assert.equal(stderr.split('\n').length, 2, 'one finding');
      } });
  }
  // 8. A "__proto__" key would vanish from (or re-shape) every copy the merge makes of its object.
  for (const [where, edit] of [
    ['an instance', (t: string, u: string) => t.replace(`"${u}":{`, `"${u}":{"x_extra":{"__proto__":{"x":1}},`)],
    ['the instances map, as a uuid', (t: string, _u: string) => t.replace('"instances":{', '"instances":{"__proto__":{},')],
  ] as const) {
    const uuid = Object.keys(beta.instances)[0];
    add({ name: `config: incoming with a "__proto__" key in ${where}`, code: 'E_MALFORMED', exit: 1,
      args: (ctx) => [...configArgs(ctx, '--groups', 'merge'), ctx.text('b.json', edit(JSON.stringify(beta), uuid))],
      check: ({ stderr }) => {
        assert.match(stderr, /key "__proto__" in object \$\["instances"\]\S* cannot be kept/);
        assert.equal(stderr.split('\n').length, 2, 'one finding');
      } });
  }
  // 9. Keys named like inherited object properties are ordinary keys: a difference, never E_INTERNAL.
  for (const key of ['toString', 'constructor']) {
    add({ name: `config: incoming cluster default "${key}" the target lacks`, code: 'E_PARAM_CONFLICT', exit: 1,
      args: (ctx) => {
        const b = structuredClone(beta);
        (b.cluster.beparams as Record<string, Record<string, unknown>>).default[key] = 1;
        return [...configArgs(ctx, '--groups', 'merge'), ctx.config('b.json', b)];
      },
      check: ({ stderr }) => assert.ok(stderr.includes(`cluster parameter beparams.default.${key}: incoming beta.example.com has 1, target has <unset>`), stderr) });
  }
  add({ name: 'plan: unknown option with an escape sequence', code: 'E_ARG_INVALID', exit: 2, args: () => ['plan', '--\u001b[31mred'] });
  add({ name: 'unknown command with a carriage return', code: 'E_USAGE', exit: 2, args: () => ['st\ratus'] });
  return cases;
}

describe('hostile input corpus: every sub-command refuses cleanly', function () {
  this.timeout(60000);
  let base: string;
  const network: string[] = [];
  const saved = { lookup: dns.lookup, promisesLookup: dns.promises.lookup, connect: net.Socket.prototype.connect };
  const cwd = process.cwd();

  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-corpus-'));
    // Any DNS lookup or socket connect is recorded and fails: a refusal must not get that far.
    const deny = (what: string) => { network.push(what); throw new Error(`network use in a refusal: ${what}`); };
    (dns as { lookup: unknown }).lookup = (host: string) => deny(`dns.lookup ${host}`);
    (dns.promises as { lookup: unknown }).lookup = async (host: string) => deny(`dns.promises.lookup ${host}`);
    net.Socket.prototype.connect = function (...args: unknown[]) { return deny(`connect ${JSON.stringify(args[0])}`); } as typeof net.Socket.prototype.connect;
  });
  after(() => {
    (dns as { lookup: unknown }).lookup = saved.lookup;
    (dns.promises as { lookup: unknown }).lookup = saved.promisesLookup;
    net.Socket.prototype.connect = saved.connect;
    process.chdir(cwd);
    fs.rmSync(base, { recursive: true, force: true });
  });

  const all = corpus();
  it(`has at least 150 cases over all sub-commands (${all.length})`, () => {
    assert.ok(all.length >= 150);
    const commands = new Set(all.map((c) => c.args(makeCtx(fs.mkdtempSync(path.join(base, 'probe-'))))[0]));
    for (const cmd of ALL) assert.ok(commands.has(cmd), cmd);
  });

  all.forEach((c, i) => {
    it(c.name, async () => {
      const dir = fs.mkdtempSync(path.join(base, `case-${i}-`));
      const ctx = makeCtx(dir);
      c.setup?.(ctx);
      const args = c.args(ctx);
      const before = snapshot(dir);
      network.length = 0;
      let stdout = '';
      let stderr = '';
      process.chdir(dir); // a default journal name would land here
      let exit: number;
      try {
        exit = await main(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
      } finally {
        process.chdir(cwd);
      }
      const shown = `exit ${exit}\nstderr: ${stderr}\nstdout: ${stdout}`;
      assert.ok(stderr.startsWith(`${c.code}: `), `expected ${c.code} first:\n${shown}`);
      assert.equal(exit, c.exit, shown);
      assert.doesNotMatch(stderr, STACK, shown);
      assert.doesNotMatch(stderr, /E_INTERNAL|internal error/, shown);
      assert.doesNotMatch(stderr + stdout, RAW_CONTROL, shown);
      assert.ok(!(stderr + stdout).split('\n').some((l) => l.startsWith('E_FAKE')), `a forged line reached the output:\n${shown}`);
      assert.deepEqual(network, [], 'no DNS lookup or connection');
      assert.deepEqual(snapshot(dir), before, 'no file created, changed or removed');
      c.check?.({ stdout, stderr }, ctx);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  it('the harness sees a change: a clean config merge writes OUT (control case)', async () => {
    const dir = fs.mkdtempSync(path.join(base, 'control-'));
    const ctx = makeCtx(dir);
    const args = [...configArgs(ctx, '--groups', 'merge'), ctx.config('b.json', beta)];
    const before = snapshot(dir);
    const exit = await main(args, { stdout: () => undefined, stderr: () => undefined });
    assert.equal(exit, 0);
    assert.notDeepEqual(snapshot(dir), before);
    assert.ok(fs.existsSync(ctx.p('out.json')));
  });
});

describe('hostile input corpus: the bundled CLI as a child process', function () {
  this.timeout(120000);
  let dir: string;
  let bundle: string;
  let guard: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-corpus-child-'));
    bundle = path.join(dir, 'cli.js');
    await build({
      entryPoints: [path.join(ROOT, 'src/cli/main.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs',
      target: 'node20', logLevel: 'silent', external: ['vscode', 'cpu-features', '*.node'],
    });
    // Preloaded into the child: records and forbids every DNS lookup and socket connect.
    guard = path.join(dir, 'no-network.cjs');
    fs.writeFileSync(guard, `
const fs = require('fs'); const dns = require('dns'); const net = require('net');
const log = process.env.GCM_NETWORK_LOG;
const deny = (what) => { fs.appendFileSync(log, what + '\\n'); throw new Error('network use: ' + what); };
dns.lookup = (h) => deny('dns.lookup ' + h);
dns.promises.lookup = async (h) => deny('dns.promises.lookup ' + h);
net.Socket.prototype.connect = function (o) { return deny('connect ' + JSON.stringify(o)); };
`);
  });
  after(() => {
    // Read-only test directories must become writable again to be removed.
    spawnSync('chmod', ['-R', 'u+rwx', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const child = (work: string, args: string[]) => {
    const log = path.join(dir, 'network.log');
    fs.rmSync(log, { force: true });
    const r = spawnSync(process.execPath, [bundle, ...args], {
      cwd: work, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${guard}`, GCM_NETWORK_LOG: log },
    });
    return { exit: r.status, stderr: r.stderr, stdout: r.stdout, network: fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '' };
  };

  const cases: Array<[string, (w: string) => string[], string, number]> = [
    ['plan with a hostile target', (w) => ['plan', '--target', 'a;rm -rf /', '--mergee', 'cb', '--journal', path.join(w, 'j.json')], 'E_NAME_INVALID', 2],
    ['run with a hostile mergee and no --journal', () => ['run', '--target', 'ca', '--mergee', '$(id)'], 'E_NAME_INVALID', 2],
    ['run with the target named twice', () => ['run', '--target', 'ca', '--mergee', 'CA.'], 'E_NAME_INVALID', 2],
    ['config with 1e6-deep nesting', (w) => {
      fs.writeFileSync(path.join(w, 'deep.json'), nested(1_000_000));
      fs.writeFileSync(path.join(w, 'b.json'), JSON.stringify(beta));
      return ['config', '--target', path.join(w, 'deep.json'), '--out', path.join(w, 'o.json'), path.join(w, 'b.json')];
    }, 'E_MALFORMED', 1],
    ['status of a secret file', (w) => { fs.writeFileSync(path.join(w, 's'), 'hunter2-abcdef'); return ['status', '--journal', path.join(w, 's')]; }, 'E_JOURNAL_INVALID', 1],
    ['step with a directory as journal', (w) => { fs.mkdirSync(path.join(w, 'd')); return ['step', '--journal', path.join(w, 'd')]; }, 'E_PATH_IS_DIRECTORY', 1],
    ['rollback with a missing journal', (w) => ['rollback', '--journal', path.join(w, 'none.json')], 'E_PATH_MISSING', 1],
    ['resume with an ssh config that is a directory', (w) => {
      Journal.create(path.join(w, 'j.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb'] });
      fs.mkdirSync(path.join(w, 'ssh'));
      return ['resume', '--journal', path.join(w, 'j.json'), '--ssh-config', path.join(w, 'ssh')];
    }, 'E_PATH_IS_DIRECTORY', 1],
    ['forget with a journal hard-linked as known hosts', (w) => {
      Journal.create(path.join(w, 'j.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb'] });
      fs.linkSync(path.join(w, 'j.json'), path.join(w, 'kh'));
      return ['forget', '--journal', path.join(w, 'j.json'), '--known-hosts', path.join(w, 'kh')];
    }, 'E_OUT_ALIASES_INPUT', 2],
    ['plan with a journal in a missing directory', (w) => ['plan', '--target', 'ca', '--mergee', 'cb', '--journal', path.join(w, 'no/j.json')], 'E_OUT_DIR_MISSING', 1],
    ['an argument with a carriage return', () => ['status', '--journal', 'x\rE_FAKE: all good'], 'E_ARG_INVALID', 2],
  ];
  for (const [name, args, code, exit] of cases) {
    it(name, () => {
      const work = fs.mkdtempSync(path.join(dir, 'w-'));
      const a = args(work);
      const before = snapshot(work);
      const r = child(work, a);
      const shown = JSON.stringify(r);
      assert.equal(r.exit, exit, shown);
      assert.ok(r.stderr.startsWith(`${code}: `), shown);
      assert.doesNotMatch(r.stderr, STACK, shown);
      assert.doesNotMatch(r.stderr + r.stdout, RAW_CONTROL, shown);
      assert.equal(r.network, '', 'no DNS lookup or connection');
      assert.deepEqual(snapshot(work), before);
    });
  }

  // File modes only bind an unprivileged user: as root the child runs as nobody.
  const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const permissionCases: Array<[string, (w: string) => string[], string, number]> = [
    ['config with an unreadable target', (w) => {
      fs.writeFileSync(path.join(w, 't.json'), JSON.stringify(alpha), { mode: 0o000 });
      fs.writeFileSync(path.join(w, 'b.json'), JSON.stringify(beta), { mode: 0o644 });
      return ['config', '--target', path.join(w, 't.json'), '--out', path.join(w, 'o.json'), path.join(w, 'b.json')];
    }, 'E_PATH_UNREADABLE', 1],
    ['config with a target in a directory it may not search', (w) => {
      fs.mkdirSync(path.join(w, 'closed'), { mode: 0o700 });
      fs.writeFileSync(path.join(w, 'closed', 't.json'), JSON.stringify(alpha), { mode: 0o644 });
      return ['config', '--target', path.join(w, 'closed', 't.json'), '--out', path.join(w, 'o.json'), path.join(w, 'closed', 't.json')];
    }, 'E_PATH_UNREADABLE', 1],
    ['status with an unreadable journal', (w) => {
      const j = path.join(w, 'j.json');
      Journal.create(j, { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb'] });
      fs.chmodSync(j, 0o000);
      return ['status', '--journal', j];
    }, 'E_PATH_UNREADABLE', 1],
    ['config with --out in a read-only directory', (w) => {
      fs.writeFileSync(path.join(w, 't.json'), JSON.stringify(alpha), { mode: 0o644 });
      fs.writeFileSync(path.join(w, 'b.json'), JSON.stringify(beta), { mode: 0o644 });
      fs.mkdirSync(path.join(w, 'ro'), { mode: 0o555 });
      return ['config', '--target', path.join(w, 't.json'), '--out', path.join(w, 'ro', 'o.json'), path.join(w, 'b.json')];
    }, 'E_OUT_DIR_NOT_WRITABLE', 1],
    ['plan with the journal in a read-only directory', (w) => {
      fs.mkdirSync(path.join(w, 'ro'), { mode: 0o555 });
      return ['plan', '--target', 'ca', '--mergee', 'cb', '--journal', path.join(w, 'ro', 'j.json')];
    }, 'E_OUT_DIR_NOT_WRITABLE', 1],
    ['step with a readable journal in a read-only directory', (w) => {
      fs.mkdirSync(path.join(w, 'ro'), { mode: 0o755 });
      Journal.create(path.join(w, 'ro', 'j.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'ca', mergees: ['cb'] });
      fs.chmodSync(path.join(w, 'ro', 'j.json'), 0o644);
      fs.chmodSync(path.join(w, 'ro'), 0o555);
      return ['step', '--journal', path.join(w, 'ro', 'j.json')];
    }, 'E_OUT_DIR_NOT_WRITABLE', 1],
  ];
  for (const [name, args, code, exit] of permissionCases) {
    it(`permissions: ${name}`, () => {
      const open = fs.mkdtempSync(path.join(dir, 'p-'));
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(open, 0o777);
      const logs = path.join(open, 'network.log');
      const a = args(open);
      const before = snapshot(open);
      const r = spawnSync(process.execPath, [bundle, ...a], {
        cwd: open, encoding: 'utf8', ...unprivileged, env: { ...process.env, NODE_OPTIONS: `--require ${guard}`, GCM_NETWORK_LOG: logs },
      });
      const shown = JSON.stringify({ status: r.status, stderr: r.stderr, error: r.error?.message });
      assert.equal(r.status, exit, shown);
      assert.ok(r.stderr.startsWith(`${code}: `), shown);
      assert.doesNotMatch(r.stderr, STACK, shown);
      assert.equal(fs.existsSync(logs), false, 'no DNS lookup or connection');
      assert.deepEqual(snapshot(open), before);
    });
  }

  it('the guard works: a child that does look a name up is recorded (control case)', () => {
    const r = spawnSync(process.execPath, ['-e', 'require("dns").lookup("example.invalid", () => {})'], {
      encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${guard}`, GCM_NETWORK_LOG: path.join(dir, 'control.log') },
    });
    assert.notEqual(r.status, 0);
    assert.match(fs.readFileSync(path.join(dir, 'control.log'), 'utf8'), /dns\.lookup example\.invalid/);
  });
});
