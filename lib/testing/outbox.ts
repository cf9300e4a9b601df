import fs from 'node:fs';
import path from 'node:path';
import { outboxDir } from '@/lib/mail/deliver-email';

export type OutboxMessage = { id: string; to: string; subject: string; text: string; links: string[] };

/** The messages in the file outbox for `to`, oldest first. */
export function readOutbox(to?: string): OutboxMessage[] {
  const dir = outboxDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as OutboxMessage)
    .filter((m) => !to || m.to === to);
}
