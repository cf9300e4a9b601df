import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { COSIGNATURE_TYPE } from '@/lib/certificates/cosignature';
import { parseVerifierKey } from '@/lib/certificates/signed-note';

/**
 * The one place that reads process.env. Every variable is validated once; a bad value stops
 * start-up with a message naming the variable. See the configuration table in README.md.
 */
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: 'must be one of 1, 0, true, false, yes, no, on, off',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  FORGETME_ROOT: z.string().min(1).optional(),
  FORGETME_DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number({ error: 'must be a port number from 1 to 65535' }).int().min(1).max(65535).optional(),
  FORGETME_PUBLIC_URL: z.url({ error: 'must be an absolute URL such as http://localhost:3000' }).optional(),
  FORGETME_LOG_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/u, 'must be a log name without spaces or "+", such as forgetme.example/log')
    .optional(),
  FORGETME_WITNESSES: z
    .string()
    .refine(
      (v) =>
        v
          .split(/[\s,]+/)
          .filter(Boolean)
          .every(isWitnessKey),
      'must be witness verifier keys (name+hex8+base64 of type 0x04), separated by spaces',
    )
    .optional(),
  FORGETME_WITNESS_QUORUM: z.coerce.number({ error: 'must be a whole number from 1 to 16' }).int().min(1).max(16).optional(),
  FORGETME_DATA_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
  FORGETME_SIGNING_KEY: z.string().includes('BEGIN PRIVATE KEY', { error: 'must be an Ed25519 private key in PKCS#8 PEM form' }).optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 33)').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('forgetme <no-reply@forgetme.localhost>'),
  FORGETME_SEED_DEMO: bool.optional(),
  FORGETME_RUN_JOBS: bool.optional(),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.optional(),
  FORGETME_API_URL: z
    .string()
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .optional(),
  FORGETME_API_KEY: z.string().regex(/^fm_/, 'must be a forgetme API key (fm_…)').optional(),
  FORGETME_WORKER_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  FORGETME_JOB_NICE: z.coerce.number().int().min(0).max(19).default(19),
  FORGETME_STEP_MATRIX_MB: z.coerce.number({ error: 'must be a number of megabytes' }).int().min(0).default(2048),
  FORGETME_DEADLINE: z
    .string()
    .regex(/^(gdpr|ccpa|\d{1,3})$/, 'must be gdpr, ccpa or a number of days')
    .default('gdpr'),
  FORGETME_TRUSTED_PROXIES: z.coerce.number({ error: 'must be a whole number from 0 to 10' }).int().min(0).max(10).default(0),
  FORGETME_SIGN_UPS_PER_NETWORK: z.coerce.number({ error: 'must be a whole number from 1 to 100000' }).int().min(1).max(100_000).default(10),
  FORGETME_SERVER: z.literal('1').optional(),
  GLIBC_TUNABLES: z.string().optional(),
  FORGETME_FAILPOINT: z
    .string()
    .regex(/^[a-z.-]+$/)
    .optional(),
  TEST_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  FORGETME_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Env = {
  nodeEnv: 'development' | 'production' | 'test';
  databaseUrl: string | undefined;
  embedded: boolean;
  /** The project checkout (migrations, worker entry); the CLI sets FORGETME_ROOT, else the cwd. */
  root: string;
  dataDir: string;
  /** The witnesses whose cosignatures the log accepts and /verify counts (verifier keys, type 0x04), and how many must cosign. */
  witnesses: string[];
  witnessQuorum: number;
  /** The transparency log's C2SP origin (checkpoint first line and key name): FORGETME_LOG_ORIGIN, else the log's URL prefix without its scheme. */
  logOrigin: string;
  /** The address people and partners reach the platform at: FORGETME_PUBLIC_URL, else http://localhost:PORT. */
  publicUrl: string;
  dataKey: string | undefined;
  signingKeyPem: string | undefined;
  authSecret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  seedDemo: boolean;
  runJobsInProcess: boolean;
  workerThreads: number;
  /** The nice value (0-19) of the threads that compute for jobs (training, removal): the web tier keeps the CPU first. */
  jobNice: number;
  /** Memory a trained model's per-class step matrices may take (lib/unlearning/step-matrices.ts), in bytes. */
  stepMatrixBudgetBytes: number;
  /** The partner CLI's server and key (`forgetme partner …`). */
  apiUrl: string | undefined;
  apiKey: string | undefined;
  /** Local development and tests only: let webhooks reach loopback, private and link-local addresses. */
  webhookAllowPrivateTargets: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** The statutory deadline for answering a removal request: `gdpr` (one month), `ccpa` (45 days) or a number of days. */
  deadline: 'gdpr' | 'ccpa' | number;
  /**
   * How many reverse proxies stand in front of the web server, each appending the address it saw
   * to X-Forwarded-For; 0 (the default) trusts no header and takes the TCP peer (server.ts).
   */
  trustedProxies: number;
  /** Sign-ups allowed per hour from one network (IPv4 /24, IPv6 /64); raise it behind a large shared NAT. */
  signUpsPerNetwork: number;
  /** glibc's own tunables, read here only to report whether huge pages were asked for (lib/runtime/huge-pages.ts). */
  glibcTunables: string | undefined;
  /** Set by server.ts for the Next.js it hosts (not configuration): client addresses are the TCP peer's. */
  servedByForgetme: boolean;
  /** Tests only: the named failpoint kills this process with SIGKILL when reached (crash tests). */
  failpoint: string | undefined;
  /** Tests only: a PostgreSQL server on which the integration suite also runs. */
  testDatabaseUrl: string | undefined;
};

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

function isWitnessKey(vkey: string): boolean {
  try {
    parseVerifierKey(vkey, COSIGNATURE_TYPE);
    return true;
  } catch {
    return false;
  }
}

/** Parses an environment (process.env by default). Throws EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const blanksRemoved = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(blanksRemoved);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = result.data;
  const embedded = !e.DATABASE_URL;
  const witnesses = (e.FORGETME_WITNESSES ?? '').split(/[\s,]+/).filter(Boolean);
  if ((e.FORGETME_WITNESS_QUORUM ?? 0) > witnesses.length) {
    throw new EnvError([`FORGETME_WITNESS_QUORUM: ${e.FORGETME_WITNESS_QUORUM} is more than the ${witnesses.length} witness(es) of FORGETME_WITNESSES`]);
  }
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    embedded,
    root: path.resolve(/*turbopackIgnore: true*/ e.FORGETME_ROOT ?? '.'),
    dataDir: path.resolve(/*turbopackIgnore: true*/ e.FORGETME_DATA_DIR),
    publicUrl: (e.FORGETME_PUBLIC_URL ?? `http://localhost:${e.PORT ?? 3000}`).replace(/\/$/, ''),
    logOrigin:
      e.FORGETME_LOG_ORIGIN ??
      `${(e.FORGETME_PUBLIC_URL ?? `http://localhost:${e.PORT ?? 3000}`).replace(/^\w+:\/\//, '').replace(/\/$/, '')}/api/v1/transparency/log`,
    witnesses,
    witnessQuorum: e.FORGETME_WITNESS_QUORUM ?? (witnesses.length ? 1 : 0),
    dataKey: e.FORGETME_DATA_KEY,
    signingKeyPem: e.FORGETME_SIGNING_KEY,
    authSecret: e.AUTH_SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    seedDemo: e.FORGETME_SEED_DEMO ?? embedded,
    runJobsInProcess: e.FORGETME_RUN_JOBS ?? embedded,
    workerThreads: e.FORGETME_WORKER_THREADS ?? os.availableParallelism(),
    jobNice: e.FORGETME_JOB_NICE,
    stepMatrixBudgetBytes: e.FORGETME_STEP_MATRIX_MB * 1024 ** 2,
    webhookAllowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? false,
    apiUrl: e.FORGETME_API_URL?.replace(/\/$/, ''),
    apiKey: e.FORGETME_API_KEY,
    logLevel: e.FORGETME_LOG_LEVEL,
    testDatabaseUrl: e.TEST_DATABASE_URL,
    failpoint: e.FORGETME_FAILPOINT,
    trustedProxies: e.FORGETME_TRUSTED_PROXIES,
    servedByForgetme: e.FORGETME_SERVER === '1',
    glibcTunables: e.GLIBC_TUNABLES,
    signUpsPerNetwork: e.FORGETME_SIGN_UPS_PER_NETWORK,
    deadline: e.FORGETME_DEADLINE === 'gdpr' || e.FORGETME_DEADLINE === 'ccpa' ? e.FORGETME_DEADLINE : Number(e.FORGETME_DEADLINE),
  };
}

let cached: Env | undefined;

/** The validated environment of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Tests only: forget the cached environment so that the next env() re-reads process.env. */
export function resetEnvForTests(): void {
  cached = undefined;
}
