import { parseArgs } from 'node:util';
import { AUDIT_REPLAY_COMMAND } from './audit-replay-command';
import { FACES_COMMANDS } from './faces-commands';
import { PARTNER_COMMANDS } from './partner-commands';
import { REQUEST_COMMANDS } from './request-commands';
import { UNLEARN_COMMANDS } from './unlearn-commands';
import { WITNESS_COMMANDS } from './witness-commands';
import { VERIFY_COMMAND } from './verify-command';

export type Command = { name: string; usage: string; summary: string; help?: string; run: (args: string[]) => Promise<number> };

/** Every CLI command. */
export const COMMANDS: Command[] = [
  {
    name: 'audit verify',
    usage: 'audit verify',
    summary: "Recompute the audit log's hash chain; exit 1 if any event was altered or removed.",
    run: async (args) => {
      parseArgs({ args, options: {} });
      const { verifyAuditChain } = await import('@/lib/audit/verify-audit-chain');
      const r = await verifyAuditChain();
      console.log(JSON.stringify(r));
      return r.ok ? 0 : 1;
    },
  },
  {
    name: 'integrity check',
    usage: 'integrity check',
    summary: 'Run the full checks the hourly job runs (the whole audit chain; every log entry, subtree and signed head) and record them.',
    help: 'Prints one JSON line per check ({"kind", "ok", "covered", "seconds"}); the compliance pages then show them. Exit 1 if either fails.',
    run: async (args) => {
      parseArgs({ args, options: {} });
      const { checkAuditChain, checkTransparencyLog } = await import('@/lib/integrity/integrity-checks');
      let ok = true;
      for (const check of [await checkAuditChain(), await checkTransparencyLog()]) {
        const seconds = (check.finishedAt.getTime() - check.startedAt.getTime()) / 1000;
        console.log(JSON.stringify({ kind: check.kind, ok: check.ok, covered: check.covered, seconds, findings: check.findings }));
        ok &&= check.ok;
      }
      return ok ? 0 : 1;
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
  {
    name: 'keys log',
    usage: 'keys log',
    summary: "Print the transparency log's verifier key (C2SP signed-note: origin+key ID+base64), for witnesses and monitors.",
    run: async (args) => {
      parseArgs({ args, options: {} });
      const [{ getSigningKey }, { env }, { rawPublicKey, verifierKey }] = await Promise.all([
        import('@/lib/crypto/signing-key'),
        import('@/lib/config/env'),
        import('@/lib/certificates/signed-note'),
      ]);
      console.log(verifierKey(env().logOrigin, rawPublicKey((await getSigningKey()).privateKey)));
      return 0;
    },
  },
  AUDIT_REPLAY_COMMAND,
  ...FACES_COMMANDS,
  ...UNLEARN_COMMANDS,
  ...PARTNER_COMMANDS,
  ...REQUEST_COMMANDS,
  ...WITNESS_COMMANDS,
  VERIFY_COMMAND,
];
