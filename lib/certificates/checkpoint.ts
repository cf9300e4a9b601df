/**
 * C2SP checkpoints (c2sp.org/tlog-checkpoint): the note text `<origin>\n<size>\n<base64 root>\n`,
 * signed as a signed note by the log's key under the origin's name. No extension lines.
 */
export type Checkpoint = { origin: string; size: number; rootHash: Buffer };

export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.rootHash.toString('base64')}\n`;
}

/** Reads a checkpoint's note text (extension lines ignored); throws when it is not one. */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new Error('a checkpoint has at least three lines, each ending in a newline');
  const [origin, size, root] = lines;
  if (!origin) throw new Error('the origin line is empty');
  if (!/^(0|[1-9]\d*)$/.test(size) || !Number.isSafeInteger(Number(size))) throw new Error(`the size line "${size.slice(0, 30)}" is not a decimal size`);
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root) throw new Error('the root line is not the base64 of 32 bytes');
  return { origin, size: Number(size), rootHash };
}
