// The ConfigError a configuration text is refused with (file name kms.yml); fails the test
// when the text is accepted or refused with anything else. Not a test file.
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';

export function configErrorOf(text: string): ConfigError {
  try {
    parseConfig(text, 'kms.yml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`the configuration was accepted:\n${text}`);
}
