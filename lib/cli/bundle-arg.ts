import fs from 'node:fs';

/** A usage error: main() prints its message and exits 2. */
export function usageError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
}

/** The one certificate file a command takes, parsed as JSON; a missing, unreadable or truncated file is a usage error. */
export function readBundleArg(positionals: string[], name: string): unknown {
  if (positionals.length !== 1) throw usageError(`give exactly one ${name}`);
  try {
    return JSON.parse(fs.readFileSync(positionals[0], 'utf8'));
  } catch (err) {
    throw usageError(`${positionals[0]} is not a readable JSON file (${(err as Error).message}): a truncated or damaged certificate?`);
  }
}
