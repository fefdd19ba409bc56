/**
 * "Merge Clusters" as a multi-step quick input with Back: the target cluster, the mergees, then a
 * summary of the options (defaults from the settings) where each can be changed before starting.
 * The steps talk to a WizardIo, so the flow is tested with scripted answers and shown with quick picks.
 */
import * as vscode from 'vscode';
import type { MergePlanOptions } from '../../core/merger/types';
import { isHostName } from '../../core/remote/names';
import type { ClusterSetting, GanetiMergeSettings } from '../settings';

export const BACK = Symbol('back');
export type Answer<T> = T | typeof BACK | undefined;

export interface WizardStep {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly placeholder?: string;
}

export interface WizardIo {
  pickOne<T extends vscode.QuickPickItem>(step: WizardStep, items: readonly T[], active?: T): Promise<Answer<T>>;
  pickMany<T extends vscode.QuickPickItem>(step: WizardStep, items: readonly T[]): Promise<Answer<readonly T[]>>;
  input(step: WizardStep, options: { value?: string; prompt: string; validate: (v: string) => string | undefined }): Promise<Answer<string>>;
}

export interface MergeRequest {
  readonly target: ClusterSetting;
  readonly mergees: readonly ClusterSetting[];
  readonly options: Omit<MergePlanOptions, 'target' | 'mergees'>;
}

type Options = MergeRequest['options'];
interface ClusterItem extends vscode.QuickPickItem { cluster?: ClusterSetting }
interface OptionItem extends vscode.QuickPickItem { option?: keyof Options | 'start' }

const t = vscode.l10n.t;

function validateHosts(value: string): string | undefined {
  const hosts = value.split(/[\s,]+/).filter(Boolean);
  if (hosts.length === 0) return t('Enter at least one host name');
  const bad = hosts.find((h) => !isHostName(h));
  return bad ? t('{0} is not a host name', JSON.stringify(bad)) : undefined;
}

const typed = (host: string): ClusterSetting => ({ name: host, host });

export async function runMergeWizard(io: WizardIo, settings: GanetiMergeSettings): Promise<MergeRequest | undefined> {
  const title = t('Ganeti: Merge Clusters');
  const total = 3;
  let target: ClusterSetting | undefined;
  let mergees: ClusterSetting[] = [];
  const options: { -readonly [K in keyof Options]: Options[K] } = { ...settings.defaults, ignoredVerifyCodes: [...settings.defaults.ignoredVerifyCodes] };
  let step = 1;
  for (;;) {
    if (step === 0) return undefined;
    if (step === 1) {
      const other: ClusterItem = { label: t('$(edit) Enter a host…'), description: t('a cluster not in the settings') };
      const items: ClusterItem[] = [...settings.clusters.map((c) => ({ label: c.name, description: c.host, cluster: c })), other];
      const picked = await io.pickOne({ title, step: 1, totalSteps: total, placeholder: t('Target cluster: the one the others join') }, items);
      if (picked === undefined) return undefined;
      if (picked === BACK) { step = 0; continue; }
      if (picked.cluster) {
        target = picked.cluster;
      } else {
        const host = await io.input({ title, step: 1, totalSteps: total }, { prompt: t('ssh name of the target cluster (or its master)'), validate: (v) => (isHostName(v.trim()) ? undefined : t('{0} is not a host name', JSON.stringify(v))) });
        if (host === undefined) return undefined;
        if (host === BACK) continue;
        target = typed(host.trim());
      }
      step = 2;
      continue;
    }
    if (step === 2) {
      const other: ClusterItem = { label: t('$(edit) Enter hosts…'), description: t('clusters not in the settings') };
      const candidates = settings.clusters.filter((c) => c.host !== target!.host && c.name !== target!.name);
      const items: ClusterItem[] = [...candidates.map((c) => ({ label: c.name, description: c.host, cluster: c, picked: mergees.some((m) => m.name === c.name) })), other];
      const picked = await io.pickMany({ title, step: 2, totalSteps: total, placeholder: t('Clusters to merge into {0}', target!.name) }, items);
      if (picked === undefined) return undefined;
      if (picked === BACK) { step = 1; continue; }
      mergees = picked.filter((p) => p.cluster).map((p) => p.cluster!);
      if (picked.includes(other)) {
        const hosts = await io.input({ title, step: 2, totalSteps: total }, { prompt: t('ssh names of the mergee clusters, separated by commas'), validate: validateHosts });
        if (hosts === undefined) return undefined;
        if (hosts === BACK) continue;
        mergees.push(...hosts.split(/[\s,]+/).filter(Boolean).map(typed));
      }
      const self = mergees.find((m) => m.host === target!.host);
      if (mergees.length === 0 || self) continue; // nothing chosen, or the target itself: ask again
      step = 3;
      continue;
    }
    const summary = (): OptionItem[] => [
      { label: t('$(play) Start preflight'), description: t('merge {0} into {1}', mergees.map((m) => m.name).join(', '), target!.name), detail: t('Preflight only reads the clusters; nothing changes until you run the merge.'), option: 'start' },
      { label: t('Node groups: {0}', options.groups), description: t('when group names collide'), option: 'groups' },
      { label: t('Networks: {0}', options.networks), description: t('when network names collide'), option: 'networks' },
      { label: t('Parameter conflicts: {0}', options.params), option: 'params' },
      { label: t('Restart instances: {0}', options.restart), description: t('after the merge'), option: 'restart' },
      { label: t('Stop instances: {0}', options.stopInstances), description: t('which running mergee instances are stopped first'), option: 'stopInstances' },
      { label: t('Watcher pause: {0} s', options.watcherPauseSeconds), option: 'watcherPauseSeconds' },
    ];
    const picked = await io.pickOne({ title, step: 3, totalSteps: total, placeholder: t('Options (defaults from the settings); pick one to change it') }, summary());
    if (picked === undefined) return undefined;
    if (picked === BACK) { step = 2; continue; }
    if (picked.option === 'start') return { target: target!, mergees, options };
    await changeOption(io, { title, step: 3, totalSteps: total }, options, picked.option!);
  }
}

async function changeOption(io: WizardIo, step: WizardStep, options: { -readonly [K in keyof Options]: Options[K] }, option: keyof Options | 'start'): Promise<void> {
  const choose = async <V extends string>(values: readonly { value: V; label: string }[], current: V): Promise<V | undefined> => {
    const items = values.map((v) => ({ label: v.label, description: v.value === current ? t('current') : undefined, value: v.value }));
    const picked = await io.pickOne(step, items, items.find((i) => i.value === current));
    return picked === undefined || picked === BACK ? undefined : picked.value;
  };
  switch (option) {
    case 'groups': {
      const v = await choose([{ value: 'refuse', label: t('refuse: stop when group names collide') }, { value: 'merge', label: t('merge: absorb same-named groups') }, { value: 'rename', label: t('rename: rename colliding incoming groups') }], options.groups);
      if (v) options.groups = v;
      break;
    }
    case 'networks': {
      const v = await choose([
        { value: 'refuse', label: t('refuse: stop when network names collide') },
        { value: 'merge', label: t('merge: absorb a same-named network with the same subnet') },
        { value: 'rename', label: t('rename: rename colliding incoming networks') },
      ], options.networks);
      if (v) options.networks = v;
      break;
    }
    case 'params': {
      const v = await choose([{ value: 'strict', label: t('strict: refuse differing cluster parameters') }, { value: 'warn', label: t('warn: only warn') }], options.params);
      if (v) options.params = v;
      break;
    }
    case 'restart': {
      const v = await choose([{ value: 'all', label: t('all instances') }, { value: 'up', label: t('only those that ran before the merge') }, { value: 'none', label: t('none') }], options.restart);
      if (v) options.restart = v;
      break;
    }
    case 'stopInstances': {
      const v = await choose([
        { value: 'all', label: t('all: stop every running mergee instance') },
        { value: 'needed', label: t('needed: stop only the instances the merge changes; the others keep running') },
        { value: 'none', label: t('none: only check that none runs') },
      ], options.stopInstances);
      if (v) options.stopInstances = v;
      break;
    }
    case 'watcherPauseSeconds': {
      const v = await io.input(step, {
        value: String(options.watcherPauseSeconds), prompt: t('Seconds to pause the ganeti-watcher (60 to 86400)'),
        validate: (s) => (/^\d+$/.test(s.trim()) && +s >= 60 && +s <= 86_400 ? undefined : t('an integer from 60 to 86400')),
      });
      if (typeof v === 'string') options.watcherPauseSeconds = Number(v.trim());
      break;
    }
    default:
      break;
  }
}
