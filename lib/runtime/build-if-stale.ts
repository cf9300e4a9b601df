/**
 * `npm start`'s first half: runs `next build` only when there is no finished build or its inputs
 * (lib/runtime/build-inputs.ts) changed since, then records what it was built from; otherwise
 * returns at once, so that a restart serves within seconds. Exits with next build's code on failure.
 *
 *   node --import tsx lib/runtime/build-if-stale.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildInputsHash, STAMP, staleReason } from './build-inputs';

const root = process.cwd();
const started = Date.now();
const hash = buildInputsHash(root);
const reason = staleReason(root, hash);
if (!reason) {
  console.log(`forgetme: the build is current (checked in ${Date.now() - started} ms); starting.`);
  process.exit(0);
}
console.log(`forgetme: building (${reason}); a first build takes a few minutes.`);
const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const build = spawnSync(process.execPath, [next, 'build'], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);
fs.writeFileSync(path.join(root, STAMP), `${hash}\n`);
