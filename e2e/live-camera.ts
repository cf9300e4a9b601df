import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type BrowserType, type Page } from '@playwright/test';
import { SAME_ORIGIN } from './fixtures';

const run = promisify(execFile);

/**
 * Takes the live capture of the request open in `page` as AT&T subject `subject` would, in a
 * second Chromium whose fake camera plays a video of that subject following the challenge. The
 * challenge is drawn first (an open challenge is resumed by the page), the video is built for it
 * (lib/testing/write-challenge-video.ts, its noise seeded by the challenge: no two captures send
 * the same picture, as with a real camera), and the page then runs the capture like a person's.
 * The caller deletes the video.
 */
export async function takeLiveCapture(
  page: Page,
  chromium: BrowserType,
  opts: { subject?: string; mode?: 'follow' | 'ignore' | 'still'; replay?: string; fps?: number } = {},
): Promise<{ tab: Page; video: string }> {
  const subject = opts.subject ?? 's2';
  const requestId = page.url().split('/').pop()!;
  const res = await page.request.post(`/api/me/requests/${requestId}/liveness`, { headers: SAME_ORIGIN });
  expect(res.status()).toBe(201);
  const { challenge } = (await res.json()) as { challenge: { id: string; steps: { pose: string; fromMs: number; toMs: number }[] } };
  // `ignore`: every turn the other way (a video made for another challenge); `still`: a photo held to the camera.
  const other = (pose: string) => (pose === 'left' ? 'right' : pose === 'right' ? 'left' : pose);
  const steps = challenge.steps.map((s) => ({ ...s, pose: opts.mode === 'ignore' ? other(s.pose) : opts.mode === 'still' ? 'center' : s.pose }));
  // `replay`: the video of an earlier capture, played again as it was.
  const file = opts.replay ?? path.join(os.tmpdir(), `forgetme-live-${challenge.id}.y4m`);
  const seed = String(parseInt(challenge.id.slice(0, 8), 16));
  if (!opts.replay)
    await run(process.execPath, [
      '--import',
      'tsx',
      'lib/testing/write-challenge-video.ts',
      `lib/liveness/fixtures/att/${subject}`,
      JSON.stringify(steps),
      file,
      '300',
      seed,
      String(opts.fps ?? 10),
    ]);
  const launch = test.info().project.use.launchOptions ?? {};
  const camera = await chromium.launch({
    ...launch,
    args: [...(launch.args ?? []), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
  });
  const context = await camera.newContext({ baseURL: test.info().project.use.baseURL, storageState: await page.context().storageState() });
  await context.grantPermissions(['camera']);
  const tab = await context.newPage();
  await tab.goto(page.url());
  await tab.getByRole('button', { name: 'Start the live capture' }).click();
  await expect(tab.getByTestId('live-prompt')).toBeVisible({ timeout: 20_000 });
  return { tab, video: file };
}
