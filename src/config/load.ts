/** Loading the kms-monitor configuration file, plus checks the schema alone cannot make. */
import { configSchema, type Config } from './schema.js';
import { parseYamlAgainst, readYamlFile } from './yaml-schema.js';

/** A check that needs more than the schema; returns the offending key path and why. */
export type SemanticCheck = (config: Config) => { path: PropertyKey[]; message: string } | null;

const semanticChecks: SemanticCheck[] = [];

/** Registered by modules that own the knowledge (e.g. the product table knows its slugs). */
export function addSemanticCheck(check: SemanticCheck): void {
  semanticChecks.push(check);
}

export function parseConfig(text: string, file = '<config>'): Config {
  const parsed = parseYamlAgainst(configSchema, text, file);
  for (const check of semanticChecks) {
    const problem = check(parsed.value);
    if (problem) throw parsed.errorAt(problem.path, problem.message);
  }
  return parsed.value;
}

export async function loadConfigFile(file: string): Promise<Config> {
  return parseConfig(await readYamlFile(file), file);
}

/** The defaults alone: what runs with no configuration file. */
export function defaultConfig(): Config {
  return parseConfig('', '<defaults>');
}
