/** Loading the kms-monitor configuration file, plus checks the schema alone cannot make. */
import { defaultProductSlugs } from '../kms/products/index.js';
import { resolveProducts } from './product-check.js';
import { configSchema, type Config } from './schema.js';
import { parseYamlAgainst, readYamlFile } from './yaml-schema.js';

export function parseConfig(text: string, file = '<config>'): Config {
  const parsed = parseYamlAgainst(configSchema, text, file);
  // Product slugs are checked against the product table here, so an unknown slug or a
  // custom slug shadowing a built-in one is reported with its line like a schema error.
  const products = resolveProducts(parsed.value, defaultProductSlugs);
  if ('path' in products) throw parsed.errorAt(products.path, products.message);
  return parsed.value;
}

export async function loadConfigFile(file: string): Promise<Config> {
  return parseConfig(await readYamlFile(file), file);
}

/** The defaults alone: what runs with no configuration file. */
export function defaultConfig(): Config {
  return parseConfig('', '<defaults>');
}
