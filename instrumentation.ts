/** Next.js calls this once when the server starts: open the database and, embedded, run the jobs. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServerRuntimeOrExit } = await import('./lib/runtime/start-server-runtime');
  await startServerRuntimeOrExit();
}
