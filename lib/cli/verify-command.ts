import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { env } from '@/lib/config/env';
import { readBundleArg, usageError } from './bundle-arg';
import type { Command } from './commands';
import { fetchEvidence, parseJwks } from './verify-online';
import { witnessPolicy, type WitnessPolicy } from '@/lib/certificates/witness-policy';

/**
 * Whether this machine is configured as a forgetme platform whose keys and log can be read: a
 * PostgreSQL database, or an embedded database that `npm start` created. Opening the embedded
 * database would otherwise create an empty one with fresh keys, against which every genuine
 * certificate fails.
 */
function configuredPlatform(): string | null {
  const e = env();
  if (e.databaseUrl) return 'DATABASE_URL';
  const embedded = path.join(e.dataDir, 'pglite');
  return fs.existsSync(path.join(embedded, 'PG_VERSION')) ? embedded : null;
}

/** `forgetme verify`: checks a certificate bundle, the verdict in plain words first, then each check; exit 0 only when all pass. */
export const VERIFY_COMMAND: Command = {
  name: 'verify',
  usage: 'verify BUNDLE.json [--jwks KEYS.json | --url https://forgetme.example] [--witness VKEY ... [--quorum K]]',
  summary: 'Verify a removal certificate: signature, key validity, content, log inclusion (and, online, consistency and deployment).',
  help: [
    "With --url, the keys, the log's latest head and a consistency proof are fetched from the platform that issued it (its PDF names it),",
    "and the partner's signed acknowledgements that it deployed the removal (shown, not required: a genuine certificate may await deployment).",
    "With --jwks, fully offline: the platform's published keys (from /.well-known/jwks.json) are all it needs.",
    'With neither, the platform this machine runs (DATABASE_URL, or the embedded database in the data directory);',
    'if there is none, nothing is created: it says which flag to give.',
    "With --witness (repeatable: witnesses' verifier keys, type 0x04), the certificate must be covered by a checkpoint that",
    'K of them (--quorum, default 1) cosigned, consistent with its log head; without, cosignatures are shown, not trusted.',
    'Prints the verdict, one line per check and a JSON summary; exit 0 when every check passes, 1 otherwise.',
  ].join('\n'),
  run: async (args) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        jwks: { type: 'string' },
        url: { type: 'string' },
        json: { type: 'boolean', default: false },
        witness: { type: 'string', multiple: true },
        quorum: { type: 'string' },
      },
    });
    const policy = witnessPolicyArg(values.witness ?? [], values.quorum);
    const bundle = readBundleArg(positionals, 'BUNDLE.json');
    // Loaded here, not at the top: `forgetme --help` and the other commands need none of it.
    const [{ verifyBundle }, { verdictOf }, { evidenceSentence, featuresSentence, firstReleaseSentence }] = await Promise.all([
      import('@/lib/certificates/verify-bundle'),
      import('@/lib/certificates/verdict'),
      import('@/lib/certificates/evidence-text'),
    ]);
    let v;
    if (values.jwks) v = verifyBundle(bundle, parseJwks(readJson(values.jwks), values.jwks), undefined, policy);
    else if (values.url) {
      const { jwks, online } = await fetchEvidence(values.url, bundle);
      v = verifyBundle(bundle, jwks, online, policy);
    } else {
      const platform = configuredPlatform();
      if (!platform) {
        throw usageError(
          `this machine runs no forgetme platform (DATABASE_URL is unset and ${env().dataDir} holds no database), so there is nothing to verify against. ` +
            'Give --url with the address of the platform that issued the certificate (printed on its PDF), ' +
            "or --jwks with a copy of that platform's /.well-known/jwks.json to check it offline",
        );
      }
      const { verifyHere } = await import('@/lib/certificates/verify-here');
      v = await verifyHere(bundle, values.witness?.length ? policy : undefined);
    }
    const verdict = verdictOf(v);
    console.log(`${verdict.ok ? 'VERIFIED' : 'NOT VERIFIED'}  ${verdict.headline}. ${verdict.summary}`);
    console.log('');
    for (const c of v.checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.label}: ${c.detail}`);
    for (const n of v.notices) console.log(`NOTE  ${n}`);
    for (const m of v.predicate?.models ?? []) if (m.features) console.log(`FEATURES  ${m.modelName} v${m.after.version}: ${featuresSentence(m.features)}`);
    for (const m of v.predicate?.models ?? []) if (m.evidence) console.log(`EVIDENCE  ${m.modelName} v${m.after.version}: ${evidenceSentence(m.evidence)}`);
    for (const f of v.predicate?.firstReleases ?? []) console.log(`RELEASED  ${f.modelName} v${f.version}: ${firstReleaseSentence(f)}`);
    for (const d of v.deployments ?? []) console.log(`DEPLOYED  ${d.modelName}: ${d.detail}`);
    if (v.predicate && !v.deployments) console.log('DEPLOYED  Not checked offline: give --url to see whether the partner signed that it deployed the removal.');
    const checks = Object.fromEntries(v.checks.map((c) => [c.id, c.ok]));
    const certificateId = v.predicate?.certificateId ?? null;
    const deployments = v.deployments?.map((d) => ({
      modelId: d.modelId,
      status: d.status,
      version: d.version ?? null,
      acknowledgedAt: d.acknowledgedAt ?? null,
    }));
    console.log(JSON.stringify({ ok: v.ok, checks, certificateId, predicateVersion: v.predicateMajor, notices: v.notices, deployments: deployments ?? null }));
    return v.ok ? 0 : 1;
  },
};

/** The verifier's own witness policy from --witness and --quorum (no witness: quorum 0, cosignatures shown but not trusted). */
function witnessPolicyArg(vkeys: string[], quorum: string | undefined): WitnessPolicy {
  const k = quorum === undefined ? Math.min(1, vkeys.length) : Number(quorum);
  if (!Number.isInteger(k) || k < 0 || k > vkeys.length)
    throw usageError(`--quorum must be a whole number from 0 to the ${vkeys.length} --witness key(s) given`);
  try {
    return witnessPolicy(vkeys, k);
  } catch (err) {
    throw usageError(`--witness: ${(err as Error).message}: give a witness verifier key (name+hex8+base64, type 0x04)`);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw usageError(`${file} is not a readable JSON file (${(err as Error).message}): give the platform's /.well-known/jwks.json`);
  }
}
