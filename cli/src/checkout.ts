import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout the CLI runs from, and its git-ignored `var/` (overridable for tests). */
export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const varDir = process.env.FLOWLEDGER_VAR_DIR ?? join(root, 'var');
