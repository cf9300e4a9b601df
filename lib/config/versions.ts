import fs from 'node:fs';
import path from 'node:path';
import { env } from './env';

function packageVersion(dir: string): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

let cached: { forgetme: string; node: string; next: string; pgBoss: string } | undefined;

/** Versions of this build and its main parts (read once). */
export function softwareVersions() {
  const root = env().root;
  cached ??= {
    forgetme: packageVersion(root),
    node: process.version,
    next: packageVersion(path.join(root, 'node_modules', 'next')),
    pgBoss: packageVersion(path.join(root, 'node_modules', 'pg-boss')),
  };
  return cached;
}
