import { parseArgs } from 'node:util';
import { readBundleArg } from './bundle-arg';
import type { Command } from './commands';

/** `forgetme audit replay`: the platform auditor's re-check of a certificate against the stored model files. */
export const AUDIT_REPLAY_COMMAND: Command = {
  name: 'audit replay',
  usage: 'audit replay CERTIFICATE.json',
  summary: "Platform auditor: check a certificate's commitments against the stored model files and recompute its residual; exit 1 if any fails.",
  help: [
    'Needs the platform itself (DATABASE_URL or the data directory, and its data key): the noise it checks never leaves the platform.',
    "Checks the bundle's signature, then per model: model.json and every file against their committed sha256, the noise against its",
    "hiding commitment, the training manifests before and after, the removed items, the parameters, and the released model's gradient",
    'residual recomputed on the remaining data with the committed noise against ε′. One line per check; exit 0 when all pass, 1 when one',
    "fails, 2 when the certificate cannot be replayed here (not a bundle, another platform's key, version 1, files purged).",
  ].join('\n'),
  run: async (args) => {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const bundle = readBundleArg(positionals, 'CERTIFICATE.json');
    const { replayCertificate } = await import('@/lib/certificates/replay-certificate');
    const r = await replayCertificate(bundle);
    for (const c of r.checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.label}: ${c.detail}`);
    console.log(JSON.stringify({ ok: r.ok, failed: r.checks.filter((c) => !c.ok).map((c) => c.id) }));
    return r.ok ? 0 : 1;
  },
};
