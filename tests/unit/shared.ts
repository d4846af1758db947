import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The shared folder (fixtures, datasets, models) sits beside the checkout; SHARED_DIR overrides it.
const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');
export const SHARED_DIR = process.env.SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared');
export const sharedPath = (...parts: string[]): string => path.join(SHARED_DIR, ...parts);
