/**
 * An operator's edit of the merged config, as shown in the diff (canonical form, secrets masked),
 * turned back into a config that may be written: every "<secret>" is put back from the merged
 * config at the same place, and the result must parse and satisfy every invariant. Anything else
 * is refused with the reason, so a bad edit can never reach config.data.
 */
import { parseConfig } from './parse';
import { maskConfigSecrets, SECRET_MASK } from './print';
import { ConfigError, type Finding, type GanetiConfig, type Json, type JsonObject } from './types';
import { verifyConfig } from './verify';

export class EditedConfigError extends Error {
  constructor(message: string, readonly findings: readonly Finding[] = []) {
    super(message);
    this.name = 'EditedConfigError';
  }
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Replaces each mask by the original's value, but only where the masked print of the original has a
 * mask too (a real secret position); a mask anywhere else is refused.
 */
function unmask(edited: Json, masked: Json | undefined, original: Json | undefined, path: string): Json {
  if (edited === SECRET_MASK) {
    if (masked !== SECRET_MASK || original === undefined) {
      throw new EditedConfigError(`${path || 'the config'} holds "${SECRET_MASK}" where the merged config has no secret: put the masked value back where it was`);
    }
    return original;
  }
  if (Array.isArray(edited)) {
    const at = <T>(v: T, i: number) => (Array.isArray(v) ? (v[i] as Json) : undefined);
    return edited.map((v, i) => unmask(v, at(masked, i), at(original, i), `${path}[${i}]`));
  }
  if (isObject(edited)) {
    const out: JsonObject = {};
    for (const key of Object.keys(edited)) {
      const m = isObject(masked) ? masked[key] : undefined;
      const o = isObject(original) ? original[key] : undefined;
      out[key] = unmask(edited[key], m, o, path ? `${path}.${key}` : key);
    }
    return out;
  }
  return edited;
}

/**
 * Parses the operator's edited text against the merged config it was printed from. Returns the
 * config to write; throws EditedConfigError (with the invariant findings) when it is not writable.
 */
export function configFromEdit(text: string, merged: GanetiConfig, source = 'edited merged config'): GanetiConfig {
  let edited: GanetiConfig;
  try {
    // The same parser as for config.data: duplicate keys, version and containers are checked on the edit itself.
    edited = parseConfig(text, source);
  } catch (err) {
    if (err instanceof ConfigError) throw new EditedConfigError(err.message, err.findings);
    throw err;
  }
  const config = unmask(edited as unknown as Json, maskConfigSecrets(merged), merged as unknown as Json, '') as unknown as GanetiConfig;
  const findings = verifyConfig(config).filter((f) => f.severity === 'error');
  if (findings.length > 0) {
    const first = findings.slice(0, 3).map((f) => f.message).join('; ');
    throw new EditedConfigError(`${source} breaks ${findings.length} invariant(s): ${first}`, findings);
  }
  return config;
}
