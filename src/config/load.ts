/** Loading the kms-monitor configuration file. */
import { configSchema, type Config } from './schema.js';
import { parseYamlAgainst, readYamlFile } from './yaml-schema.js';

export function parseConfig(text: string, file = '<config>'): Config {
  return parseYamlAgainst(configSchema, text, file).value;
}

export async function loadConfigFile(file: string): Promise<Config> {
  return parseConfig(await readYamlFile(file), file);
}

/** The defaults alone: what runs with no configuration file. */
export function defaultConfig(): Config {
  return parseConfig('', '<defaults>');
}
