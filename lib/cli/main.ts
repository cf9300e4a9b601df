import { EnvError } from '@/lib/config/env';
import { isAppError } from '@/lib/errors/app-error';
import { UnlearningError } from '@/lib/unlearning/errors';
import { COMMANDS, type Command } from './commands';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'forgetme: the right to be forgotten by face-recognition systems, from the command line.',
    '',
    'Usage: forgetme <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    "Options: --help (this text, or a command's own with `forgetme <command> --help`), --version.",
    'Configuration comes from the environment (DATABASE_URL, FORGETME_DATA_DIR, ...): see README.md.',
  ].join('\n');
}

function find(argv: string[]): { command: Command; rest: string[] } | null {
  for (const c of COMMANDS) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command: c, rest: argv.slice(words.length) };
  }
  return null;
}

/** Runs the CLI; returns the exit code (0 success, 1 a failed check, 2 a usage or input error). */
export async function main(argv: string[]): Promise<number> {
  if (!argv.length || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(usage());
    return 0;
  }
  if (argv[0] === '--version') {
    const { softwareVersions } = await import('@/lib/config/versions');
    console.log(softwareVersions().forgetme);
    return 0;
  }
  const found = find(argv);
  if (!found) {
    console.error(`forgetme: unknown command "${argv.join(' ')}"\n\n${usage()}`);
    return 2;
  }
  if (found.rest.includes('--help')) {
    console.log(`Usage: forgetme ${found.command.usage}\n\n${found.command.help ?? found.command.summary}`);
    return 0;
  }
  try {
    return await found.command.run(found.rest);
  } catch (err) {
    if (err instanceof EnvError) console.error(err.message);
    else if (isAppError(err) || err instanceof UnlearningError) console.error(`forgetme: ${err.code}: ${err.message}`);
    else if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(`forgetme: ${err.message}`);
    else console.error(err);
    return 2;
  } finally {
    const [{ closeDb }, { stopBoss }] = await Promise.all([import('@/db/client'), import('@/lib/jobs/boss')]);
    await stopBoss().catch(() => {});
    await closeDb().catch(() => {});
  }
}
