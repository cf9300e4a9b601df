// Entry of bench/registry-scale.ts's worker threads: TypeScript through tsx (with the project's
// tsconfig, for the @/ paths), then the loops of registry-scale-loops.ts.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('./registry-scale-loops.ts');
