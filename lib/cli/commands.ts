import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { FACES_COMMANDS } from './faces-commands';
import { PARTNER_COMMANDS } from './partner-commands';
import { UNLEARN_COMMANDS } from './unlearn-commands';
import { VERIFY_COMMAND } from './verify-command';

export type Command = { name: string; usage: string; summary: string; help?: string; run: (args: string[]) => Promise<number> };

/** Every CLI command. */
export const COMMANDS: Command[] = [
  {
    name: 'audit verify',
    usage: 'audit verify',
    summary: 'Recompute the audit log\'s hash chain; exit 1 if any event was altered or removed.',
    run: async (args) => {
      parseArgs({ args, options: {} });
      const { verifyAuditChain } = await import('@/lib/audit/verify-audit-chain');
      const r = await verifyAuditChain();
      console.log(JSON.stringify(r));
      return r.ok ? 0 : 1;
    },
  },
  {
    name: 'audit replay',
    usage: 'audit replay CERTIFICATE.json',
    summary: 'Platform auditor: check a certificate\'s commitments against the stored model files and recompute its residual; exit 1 if any fails.',
    help: [
      'Needs the platform itself (DATABASE_URL or the data directory, and its data key): the noise it checks never leaves the platform.',
      'Checks the bundle\'s signature, then per model: model.json and every file against their committed sha256, the noise against its',
      'hiding commitment, the training manifests before and after, the removed items, the parameters, and the released model\'s gradient',
      'residual recomputed on the remaining data with the committed noise against ε′. One line per check; exit 0 when all pass, 1 when one',
      'fails, 2 when the certificate cannot be replayed here (not a bundle, another platform\'s key, version 1, files purged).',
    ].join('\n'),
    run: async (args) => {
      const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
      const bad = (m: string) => Object.assign(new TypeError(m), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
      if (positionals.length !== 1) throw bad('give exactly one CERTIFICATE.json');
      let bundle: unknown;
      try {
        bundle = JSON.parse(fs.readFileSync(positionals[0], 'utf8'));
      } catch (err) {
        throw bad(`${positionals[0]} is not a readable JSON file (${(err as Error).message}): a truncated or damaged certificate?`);
      }
      const { replayCertificate } = await import('@/lib/certificates/replay-certificate');
      const r = await replayCertificate(bundle);
      for (const c of r.checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.label}: ${c.detail}`);
      console.log(JSON.stringify({ ok: r.ok, failed: r.checks.filter((c) => !c.ok).map((c) => c.id) }));
      return r.ok ? 0 : 1;
    },
  },
  {
    name: 'users create-auditor',
    usage: 'users create-auditor --email E --name N',
    summary: 'Create a platform auditor account (auditors cannot sign up); prints its one-time password.',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' } } });
      const { createAuditor } = await import('@/lib/auth/create-auditor');
      const created = await createAuditor({ email: values.email ?? '', name: values.name ?? '' });
      console.log(JSON.stringify(created));
      return 0;
    },
  },
  {
    name: 'keys jwks',
    usage: 'keys jwks',
    summary: 'Print the published signing keys (JWKS), for verifying certificates offline.',
    run: async (args) => {
      parseArgs({ args, options: {} });
      const { getJwks } = await import('@/lib/crypto/get-jwks');
      console.log(JSON.stringify(await getJwks(), null, 2));
      return 0;
    },
  },
  ...FACES_COMMANDS,
  ...UNLEARN_COMMANDS,
  ...PARTNER_COMMANDS,
  VERIFY_COMMAND,
];
