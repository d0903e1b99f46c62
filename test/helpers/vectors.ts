/**
 * Where the captured KMS exchanges live: test/vectors/, the project's own test data
 * (described in docs/protocol.md §7). Every loader of vectors resolves files through here.
 */
import { fileURLToPath } from 'node:url';

export const VECTORS_URL = new URL('../vectors/', import.meta.url);
export const VECTORS_DIR = fileURLToPath(VECTORS_URL);
