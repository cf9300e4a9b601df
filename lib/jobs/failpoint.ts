import { env } from '@/lib/config/env';
import { log } from '@/lib/log/logger';

/**
 * Crash tests only: when FORGETME_FAILPOINT names this point, the process kills itself with
 * SIGKILL here, exactly as a lost machine would stop (no cleanup, no finally blocks).
 */
export function failpoint(name: string): void {
  if (env().failpoint !== name) return;
  log.warn('failpoint reached: killing this process', { failpoint: name, pid: process.pid });
  process.kill(process.pid, 'SIGKILL');
}
