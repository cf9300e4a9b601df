#!/usr/bin/env node
// The `forgetme` command (package.json "bin"): runs the TypeScript CLI through tsx.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
process.env.FORGETME_ROOT ??= root;
register({ tsconfig: path.join(root, 'tsconfig.json') });
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
