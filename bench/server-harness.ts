import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createScratchDatabase, keptDatabase } from '@/lib/testing/scratch-database';

/**
 * Benchmarks against a running production server (server.ts on an existing `next build`), on a
 * fresh PostgreSQL database of its own, so the bench process can seed accounts while the server
 * runs. Loopback only. The server's resident memory is sampled from /proc while it runs.
 */
export type BenchServer = {
  url: string;
  databaseUrl: string;
  dataDir: string;
  pid: number;
  stop: () => Promise<void>;
  rss: () => number;
  peakRss: () => number;
  resetPeak: () => void;
};

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Resident set size in bytes of `pid` and its descendants (Linux /proc). */
export function treeRss(pid: number): number {
  let total = 0;
  const kids = (p: number): number[] => {
    try {
      return fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const walk = (p: number) => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      total += m ? Number(m[1]) * 1024 : 0;
    } catch {
      /* gone */
    }
    for (const k of kids(p)) walk(k);
  };
  walk(pid);
  return total;
}

/** `keepDatabase`: a named database kept after the run (filled once, reused by the next run) instead of a scratch one. */
export async function startServer(opts: { port: number; env?: Record<string, string>; keepDatabase?: string }): Promise<BenchServer> {
  if (!fs.existsSync(path.resolve('.next/BUILD_ID'))) throw new Error('no production build: run `npx next build` first');
  const scratch = opts.keepDatabase ? await keptDatabase(ADMIN_URL, opts.keepDatabase) : await createScratchDatabase(ADMIN_URL, 'forgetme_bench');
  const databaseUrl = scratch.url;
  const dataDir = fs.mkdtempSync(path.join(process.cwd(), '.bench-data-'));
  const url = `http://localhost:${opts.port}`;
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    FORGETME_DATA_DIR: dataDir,
    FORGETME_PUBLIC_URL: url,
    FORGETME_LOG_LEVEL: 'warn',
    NODE_ENV: 'production' as const,
    ...opts.env,
  };
  // BENCH_NODE_FLAGS (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof) profiles the server.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...flags, '--import', 'tsx', 'server.ts', '-p', String(opts.port)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 300));
  }
  // This process seeds the server's database: point its configuration there too (read on first use).
  Object.assign(process.env, { DATABASE_URL: databaseUrl, FORGETME_DATA_DIR: dataDir });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), 50);
  return {
    url,
    databaseUrl,
    dataDir,
    pid: child.pid!,
    rss: () => treeRss(child.pid!),
    peakRss: () => peak,
    resetPeak: () => void (peak = treeRss(child.pid!)),
    async stop() {
      clearInterval(sampler);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await scratch.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through Auth.js's endpoints; returns the Cookie header of the session. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: '/home' }),
  });
  keep(res);
  if (res.status !== 302 || (res.headers.get('location') ?? '').includes('error'))
    throw new Error(`sign-in failed: ${res.status} ${res.headers.get('location')}`);
  return cookie();
}

export const MB = (b: number) => Math.round(b / 2 ** 20);
