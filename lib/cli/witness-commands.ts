import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from './commands';
import type { Fetcher } from '@/lib/witness/witness';

const bad = (m: string) => Object.assign(new TypeError(m), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });

/** `forgetme witness …`: an independent witness of a forgetme transparency log (docs/certificate.md, "Witnesses"). */
export const WITNESS_COMMANDS: Command[] = [
  {
    name: 'witness init',
    usage: 'witness init --state witness.json --name NAME --url https://forgetme.example --log-key VKEY',
    summary: 'Create a witness: its own Ed25519 key in a new state file (mode 600), watching one log; prints its verifier key.',
    help: [
      "NAME is the witness key name (a schema-less URL such as witness.example.org/w1). VKEY is the log's verifier key",
      '(`forgetme keys log` on the platform prints it). Give the printed key to the log operator (FORGETME_WITNESSES)',
      'and to verifiers (`forgetme verify --witness`). Never overwrites a state file.',
    ].join('\n'),
    run: async (args) => {
      const { values } = parseArgs({
        args,
        options: { state: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' }, 'log-key': { type: 'string' } },
      });
      if (!values.state || !values.name || !values.url || !values['log-key']) throw bad('--state, --name, --url and --log-key are required');
      if (fs.existsSync(values.state)) throw bad(`${values.state} exists: a witness's state is never overwritten`);
      const { newWitnessState, witnessVerifierKey } = await import('@/lib/witness/witness');
      let state;
      try {
        state = newWitnessState({ name: values.name, url: values.url, logKey: values['log-key'] });
      } catch (err) {
        throw bad(`--log-key: ${(err as Error).message}`);
      }
      fs.writeFileSync(values.state, JSON.stringify(state, null, 2), { mode: 0o600, flag: 'wx' });
      console.log(JSON.stringify({ event: 'created', state: values.state, vkey: witnessVerifierKey(state) }));
      return 0;
    },
  },
  {
    name: 'witness run',
    usage: 'witness run --state witness.json',
    summary: "One round: fetch the log's checkpoint, check it extends the last one cosigned, cosign and hand it in, or refuse.",
    help: [
      'Prints one JSON line: {"event": "cosigned", "size", "accepted"} or {"event": "refused", "reason"}.',
      'A refusal is kept in the state file, and exits 1. Run it from cron.',
    ].join('\n'),
    run: async (args) => {
      const { values } = parseArgs({ args, options: { state: { type: 'string' } } });
      if (!values.state) throw bad('--state is required');
      const { witnessOnce, witnessStateSchema } = await import('@/lib/witness/witness');
      let state;
      try {
        state = witnessStateSchema.parse(JSON.parse(fs.readFileSync(values.state, 'utf8')));
      } catch (err) {
        throw bad(`${values.state} is not a witness state file (${(err as Error).message.slice(0, 120)})`);
      }
      const { AppError } = await import('@/lib/errors/app-error');
      const reach: Fetcher = (url, init) =>
        fetch(url, init).catch((err: Error & { cause?: Error }) => {
          throw new AppError('unavailable', `${url} cannot be reached (${err.cause?.message ?? err.message}): nothing was cosigned.`);
        });
      const r = await witnessOnce(state, reach);
      fs.writeFileSync(`${values.state}.tmp`, JSON.stringify(r.state, null, 2), { mode: 0o600 });
      fs.renameSync(`${values.state}.tmp`, values.state);
      console.log(JSON.stringify(r.outcome));
      return r.outcome.event === 'refused' ? 1 : 0;
    },
  },
];
