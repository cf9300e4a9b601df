import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What `next build` reads: the app's source folders and the files that configure the build. Test
 * files, benches, docs and data are not inputs, so editing them does not make the build stale.
 */
export const BUILD_INPUTS = [
  'app',
  'lib',
  'db',
  'workers',
  'public',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.js',
  'postcss.config.mjs',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
] as const;

/** Where a finished build records the hash of the inputs it was built from. */
export const STAMP = path.join('.next', 'forgetme-inputs.sha256');

const isTest = (name: string) => /\.test\.tsx?$/.test(name);

function listFiles(root: string, rel: string, out: string[]): void {
  const abs = path.join(root, rel);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    if (!isTest(rel)) out.push(rel);
    return;
  }
  if (!stat.isDirectory()) return;
  for (const name of fs.readdirSync(abs)) listFiles(root, path.join(rel, name), out);
}

/** The SHA-256 of every build input's path and content under `root`, in a fixed order. */
export function buildInputsHash(root: string): string {
  const files: string[] = [];
  for (const input of BUILD_INPUTS) listFiles(root, input, files);
  files.sort();
  const h = crypto.createHash('sha256');
  for (const rel of files) {
    const content = fs.readFileSync(path.join(root, rel));
    h.update(`${rel.split(path.sep).join('/')}\0${content.length}\0`).update(content);
  }
  return h.digest('hex');
}

/**
 * Why the build under `root` must be redone, or null when it is current: no build yet, a build
 * that did not finish (no BUILD_ID) or was made by `next build` alone (no stamp), or inputs that
 * changed since.
 */
export function staleReason(root: string, hash = buildInputsHash(root)): string | null {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) return 'no finished build yet';
  const stamp = path.join(root, STAMP);
  if (!fs.existsSync(stamp)) return 'the last build was not made by npm start';
  return fs.readFileSync(stamp, 'utf8').trim() === hash ? null : 'the source changed since the last build';
}
