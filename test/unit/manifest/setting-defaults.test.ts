/**
 * The plan options' defaults have one home (DEFAULT_PLAN_OPTIONS, which the CLI, the settings
 * reader and the wizard use); package.json's setting defaults, which VS Code shows in the
 * Settings editor, must say the same.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import { PLAN_SETTINGS, SETTINGS_SECTION } from '../../../src/ui/settings';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};

describe('package.json setting defaults', () => {
  it('each plan option setting defaults to DEFAULT_PLAN_OPTIONS (stop policy: needed)', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(PLAN_SETTINGS.map(([field]) => field).sort(), Object.keys(DEFAULT_PLAN_OPTIONS).sort());
    for (const [field, setting] of PLAN_SETTINGS) {
      const key = `${SETTINGS_SECTION}.${setting}`;
      assert.ok(properties[key], `${key} is not contributed`);
      assert.deepEqual(properties[key].default, DEFAULT_PLAN_OPTIONS[field as keyof typeof DEFAULT_PLAN_OPTIONS], key);
    }
    assert.equal(DEFAULT_PLAN_OPTIONS.stopInstances, 'needed');
  });
});
