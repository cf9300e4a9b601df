import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { readBundleArg, usageError } from './bundle-arg';
import type { Command } from './commands';

/** `forgetme verify`: checks a certificate bundle, each check printed; exit 0 only when all pass. */
export const VERIFY_COMMAND: Command = {
  name: 'verify',
  usage: 'verify BUNDLE.json [--jwks KEYS.json | --url https://forgetme.example]',
  summary: 'Verify a removal certificate: signature, key validity, content, log inclusion (and, online, consistency).',
  help: [
    'With --jwks, fully offline: the platform\'s published keys (from /.well-known/jwks.json) are all it needs.',
    'With --url, the keys, the log\'s latest head and a consistency proof are fetched from that server.',
    'With neither, the keys and the log of the configured platform (DATABASE_URL or the data directory) are used.',
    'Prints one line per check and a JSON summary; exit 0 when every check passes, 1 otherwise.',
  ].join('\n'),
  run: async (args) => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { jwks: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean', default: false } } });
    const bundle = readBundleArg(positionals, 'BUNDLE.json');
    const { verifyBundle } = await import('@/lib/certificates/verify-bundle');
    type V = Parameters<typeof verifyBundle>;
    let jwks: V[1];
    let online: V[2];
    if (values.jwks) jwks = JSON.parse(fs.readFileSync(values.jwks, 'utf8'));
    else if (values.url) {
      const base = values.url.replace(/\/$/, '');
      const get = async (p: string) => {
        const r = await fetch(`${base}${p}`);
        if (!r.ok) throw usageError(`${base}${p} answered ${r.status}`);
        return r.json();
      };
      jwks = await get('/.well-known/jwks.json');
      const size = (bundle as { treeHead?: { size?: number } })?.treeHead?.size;
      const latest = (await get('/api/v1/transparency/tree-heads/latest')).treeHead;
      const consistency = size && latest && size <= latest.size ? (await get(`/api/v1/transparency/consistency?from=${size}&to=${latest.size}`)).hashes : [];
      online = latest ? { latest, consistency } : undefined;
    } else {
      const [{ getJwks }, { onlineEvidenceFor }] = await Promise.all([import('@/lib/crypto/get-jwks'), import('@/lib/certificates/online-evidence')]);
      jwks = (await getJwks()) as V[1];
      online = await onlineEvidenceFor(bundle as never).catch(() => undefined);
    }
    const v = verifyBundle(bundle, jwks, online);
    for (const c of v.checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.label}: ${c.detail}`);
    for (const n of v.notices) console.log(`NOTE  ${n}`);
    const { evidenceSentence } = await import('@/lib/certificates/evidence-text');
    for (const m of v.predicate?.models ?? []) if (m.evidence) console.log(`EVIDENCE  ${m.modelName} v${m.after.version}: ${evidenceSentence(m.evidence)}`);
    const checks = Object.fromEntries(v.checks.map((c) => [c.id, c.ok]));
    const certificateId = v.predicate?.certificateId ?? null;
    console.log(JSON.stringify({ ok: v.ok, checks, certificateId, predicateVersion: v.predicateMajor, notices: v.notices }));
    return v.ok ? 0 : 1;
  },
};
