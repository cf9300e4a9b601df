import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { startWebhookReceiver } from '../lib/testing/webhook-receiver';
import { takeLiveCapture } from './live-camera';
import { expectAccessible } from './accessibility';
import { DEMO_PASSWORD, SAME_ORIGIN, demoPartnerAdmin, signInByForm, signUpAndVerify, uniqueEmail } from './fixtures';

const run = promisify(execFile);
const REFS = path.resolve('db/seed/demo-faces/references');
/** AT&T subject 2, in the demo training set, whose head turns the fake camera can play (db/seed/demo-faces/README.md). */
const PERSON = 'ATT_s2';

const JOURNEY = 'a person consents, uploads two photos, passes the live capture, confirms the matches, and receives certificates that verify';
test(JOURNEY, async ({ page, browser, playwright }) => {
  test.setTimeout(300_000);
  const receiver = await startWebhookReceiver();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-journey-'));
  try {
    // The demo partner: wait for its model, and listen to its webhooks.
    const admin = await demoPartnerAdmin(playwright);
    const ep = await admin.post('/api/v1/webhooks/endpoints', {
      data: { url: receiver.url, events: ['removal.requested', 'model.version_created', 'certificate.issued', 'certificate.deployment_acknowledged'] },
    });
    expect(ep.status()).toBe(201);
    receiver.setSecret((await ep.json()).secret);

    const email = uniqueEmail('person');
    const started = Date.now();
    await signUpAndVerify(page, { kind: 'individual', name: 'Ann Person', email, password: 'a long password' });
    await signInByForm(page, email, 'a long password');
    await expect(page).toHaveURL(/\/me$/);
    await page.getByRole('link', { name: 'Start a removal request' }).click();
    await page.getByRole('button', { name: 'Agree and continue' }).click();
    await expect(page.locator('[role=alert][data-code]')).toContainText('agree');
    await expectAccessible(page, 'consent, refused without the box');
    await page.getByRole('checkbox', { name: /I agree that forgetme processes photos/ }).check();
    await page.getByRole('button', { name: 'Agree and continue' }).click();
    await expect(page).toHaveURL(/\/me\/requests\/[0-9a-f-]+$/);

    // A group photo asks which face is the person's (left unanswered here); two photos of the person are accepted.
    await page.getByLabel('Choose photos of yourself').setInputFiles(path.resolve('lib/faces/fixtures/group-bbt3.jpg'));
    await expect(page.getByTestId('reference').first()).toHaveAttribute('data-state', 'pick');
    await expect(page.getByTestId('reference').first()).toContainText(/shows \d faces\. Pick yours/);
    await expectAccessible(page, 'draft, a photo asking which face');
    const mine = fs
      .readdirSync(REFS)
      .filter((f) => f.startsWith(PERSON))
      .map((f) => path.join(REFS, f));
    expect(mine).toHaveLength(2);
    await page.getByLabel('Choose photos of yourself').setInputFiles(mine);
    await expect(page.locator('[data-testid=reference][data-state=accepted]')).toHaveCount(2);

    // Only the face in front of the camera: no search before the live capture, which passes.
    await page.reload();
    await expect(page.getByRole('button', { name: 'Search for my photos' })).toBeDisabled();
    const camera = await takeLiveCapture(page, playwright.chromium);
    await expect(camera.tab.getByTestId('identity-state')).toHaveAttribute('data-state', 'passed', { timeout: 60_000 });
    await camera.tab.context().browser()!.close();
    fs.rmSync(camera.video, { force: true });
    await page.reload();
    await expect(page.getByTestId('identity-state')).toHaveAttribute('data-state', 'passed');
    await page.getByRole('button', { name: 'Search for my photos' }).click();

    // Review: thumbnails of the matched faces only, grouped by training set.
    await expect(page.getByRole('button', { name: 'These are all me' })).toBeVisible({ timeout: 60_000 });
    // What was searched, named: the demo partner's training set and its faces.
    await expect(page.getByTestId('search-scope')).toContainText(/We searched \d[\d,]* faces in 1 training set of 1 company/);
    // And what that size means: the strangers a search can expect at the thresholds it put in force.
    await page.getByTestId('search-scope').locator('summary').click();
    await expect(page.getByTestId('search-scope')).toContainText(/faces of \d+ people/);
    await expect(page.getByTestId('search-scope')).toContainText(/expect about 0\.0\d\d strangers['’] photos among the photos shown to you/);
    const thumbs = page.getByRole('img', { name: /^Match \d+ in / });
    expect(await thumbs.count()).toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: 'These are all me' }).click();
    const possible = page.getByRole('checkbox', { name: /Also remove the \d+ possible/ });
    if (await possible.count()) await possible.check();
    // Sent without the confirmation: the box itself says what is missing, and the ticks stay.
    await page.getByRole('button', { name: 'Remove these photos' }).click();
    const attest = page.getByRole('checkbox', { name: /I confirm that the photos I ticked are photos of me/ });
    await expect(attest).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#attest-error')).toHaveText('Please confirm that these are photos of you.');
    await expectAccessible(page, 'review, sent without the confirmation');
    const ticks = page.getByRole('checkbox', { name: 'This is me' });
    expect(await ticks.count()).toBe(await thumbs.count());
    for (const box of await ticks.all()) await expect(box).toBeChecked();
    if (await possible.count()) await expect(possible).toBeChecked();
    await attest.check();
    await page.getByRole('button', { name: 'Remove these photos' }).click();

    // The removal completes within the test; certificates appear.
    await expect(page.getByTestId('certificate')).toHaveCount(1, { timeout: 120_000 });
    await expectAccessible(page, 'completed, with its certificate');
    // The person's journey, sign-up to certificate (live capture included), as a figure for the notes, not a pass mark.
    test.info().annotations.push({ type: 'journey', description: `sign-up to certificate: ${((Date.now() - started) / 1000).toFixed(1)} s` });
    console.log(`journey: sign-up to certificate in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'certificate (JSON)' }).click()]);
    const bundlePath = path.join(tmp, 'certificate.json');
    await json.saveAs(bundlePath);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'certificate (PDF)' }).click()]);
    const pdfPath = path.join(tmp, 'certificate.pdf');
    await pdf.saveAs(pdfPath);

    // The CLI verifies it offline against the published keys.
    fs.writeFileSync(path.join(tmp, 'keys.json'), await (await page.request.get('/.well-known/jwks.json')).text());
    const cli = await run('node', ['lib/cli/forgetme.mjs', 'verify', bundlePath, '--jwks', path.join(tmp, 'keys.json')], {
      env: { ...process.env, FORGETME_DATA_DIR: tmp, FORGETME_LOG_LEVEL: 'error' },
    });
    expect(JSON.parse(cli.stdout.trim().split('\n').at(-1)!).ok).toBe(true);
    // And online, against the platform that issued it: the verdict first, the log's consistency checked.
    const online = await run('node', ['lib/cli/forgetme.mjs', 'verify', bundlePath, '--url', test.info().project.use.baseURL!], {
      env: { ...process.env, FORGETME_DATA_DIR: path.join(tmp, 'none'), FORGETME_LOG_LEVEL: 'error' },
    });
    expect(online.stdout.split('\n')[0]).toMatch(/^VERIFIED {2}Genuine: every check passed\. It says that FaceLab Demo removed/);
    expect(online.stdout).toContain('PASS  Log not rewritten since');
    expect(online.stdout).toContain('PASS  Checkpoint (C2SP)');
    expect(fs.existsSync(path.join(tmp, 'none'))).toBe(false);
    // With no flag, on a machine that runs no platform: nothing is created, and the flags are named.
    const bare = await run('node', ['lib/cli/forgetme.mjs', 'verify', bundlePath], {
      env: { ...process.env, DATABASE_URL: '', FORGETME_DATA_DIR: path.join(tmp, 'bare'), FORGETME_LOG_LEVEL: 'error' },
    }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(bare?.code).toBe(2);
    expect(bare?.stderr).toMatch(/--url.*--jwks/s);
    expect(fs.existsSync(path.join(tmp, 'bare'))).toBe(false);
    const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8'));
    const predicate = JSON.parse(Buffer.from(bundle.envelope.payload, 'base64').toString('utf8')).predicate;
    // Both of the demo partner's models: its head on forgetme's descriptors, and the one on its own vectors (embeddings.spec.ts).
    type ModelEntry = {
      modelId: string;
      modelName: string;
      after: { version: number };
      features: { source: string };
      identityTest: { removedIdentityTopRate: number };
    };
    const own = (predicate.models as ModelEntry[]).find((m) => m.features.source === 'forgetme')!;
    const theirs = (predicate.models as ModelEntry[]).find((m) => m.features.source === 'partner')!;
    expect(own.after.version).toBe(2);
    expect(own.identityTest.removedIdentityTopRate).toBe(0);
    expect(theirs).toMatchObject({ after: { version: 2 }, features: { source: 'partner', name: 'e2e-net', version: '1', dimension: 512 } });
    expect(online.stdout).toMatch(/^FEATURES {2}.*: Trained on the partner's own embedding network "e2e-net" version 1 \(512 values per photo\)/m);

    // The PDF renders.
    await run('pdftoppm', ['-png', '-f', '1', '-l', '1', '-r', '50', pdfPath, path.join(tmp, 'page')]);
    expect(fs.readdirSync(tmp).some((f) => f.startsWith('page') && f.endsWith('.png'))).toBe(true);

    // Anyone can verify it on /verify, each check shown.
    // A context of its own (not browser.newPage()): axe-core needs one to check the page.
    const anonContext = await browser.newContext();
    const anon = await anonContext.newPage();
    await anon.goto('/verify');
    await anon.getByLabel('Certificate file (certificate.json)').setInputFiles(bundlePath);
    await anon.getByRole('button', { name: 'Verify' }).click();
    await expect(anon.getByTestId('verdict')).toHaveText('Genuine: every check passed');
    // The verdict in plain words comes first; the technical checks follow, one click away.
    const order = await anon.evaluate(() => {
      const verdict = document.querySelector('[data-testid=verdict]')!;
      const check = document.querySelector('[data-testid^=check-]')!;
      return verdict.compareDocumentPosition(check) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    await expect(anon.getByTestId('check-signature')).toBeHidden();
    await anon.getByText(/^The technical checks: (\d+) of \1 passed/).click();
    await expect(anon.getByTestId('check-signature')).toBeVisible();
    await expect(anon.getByTestId('verdict-summary')).toContainText('It says that FaceLab Demo removed');
    for (const id of ['signature', 'key_validity', 'schema', 'inclusion', 'tree_head', 'consistency'])
      await expect(anon.getByTestId(`check-${id}`)).toHaveAttribute('data-ok', 'true');
    await expectAccessible(anon, '/verify, a genuine certificate');
    // A changed byte is caught: the predicate's minor version raised by one, whatever it is.
    const tampered = JSON.parse(JSON.stringify(bundle));
    tampered.envelope.payload = Buffer.from(
      Buffer.from(bundle.envelope.payload, 'base64')
        .toString('utf8')
        .replace(/"version":"2\.(\d+)"/, (_, minor: string) => `"version":"2.${Number(minor) + 1}"`),
    ).toString('base64');
    expect(tampered.envelope.payload).not.toBe(bundle.envelope.payload);
    fs.writeFileSync(path.join(tmp, 'tampered.json'), JSON.stringify(tampered));
    const refused = await run('node', ['lib/cli/forgetme.mjs', 'verify', path.join(tmp, 'tampered.json'), '--jwks', path.join(tmp, 'keys.json')], {
      env: { ...process.env, FORGETME_DATA_DIR: tmp, FORGETME_LOG_LEVEL: 'error' },
    }).then(
      () => null,
      (err: { code: number; stdout: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stdout).toContain('FAIL  Signature');
    await anon.getByLabel('Certificate file (certificate.json)').setInputFiles(path.join(tmp, 'tampered.json'));
    await anon.getByRole('button', { name: 'Verify' }).click();
    await expect(anon.getByTestId('check-signature')).toHaveAttribute('data-ok', 'false');
    await expectAccessible(anon, '/verify, a tampered certificate');
    await anonContext.close();

    // The partner's console lists the request with its certificate, and its overview counts it.
    // A context of its own: axe-core checks the keys page.
    const partnerContext = await browser.newContext();
    const partnerPage = await partnerContext.newPage();
    await signInByForm(partnerPage, 'admin@facelab.example', DEMO_PASSWORD);
    await expect(partnerPage).toHaveURL(/\/partner$/);
    await partnerPage.goto('/partner/removal-requests');
    const row = partnerPage.getByTestId('removal-row').filter({ hasText: 'Removed and certified' }).first();
    await expect(row).toBeVisible();
    await expect(row.getByRole('link', { name: /^\d{4}-\d{2}-\d{2}$/ })).toHaveAttribute('href', /\/compliance\/certificates\//);
    await partnerPage.goto('/partner');
    await expect(partnerPage.getByTestId('overview').getByRole('link', { name: /Removals in progress \d+ \d+ certified/ })).toBeVisible();

    // Deployment: not acknowledged yet; the partner signs, with its own key, that the new version runs; everyone sees it.
    const deployment = (p: Page, m: ModelEntry) => p.getByTestId('deployment').filter({ hasText: `(${m.modelName})` });
    await expect(deployment(page, own)).toHaveAttribute('data-status', 'not_acknowledged');
    await acknowledgeDeployment({ partnerPage, admin, tmp, modelId: own.modelId, version: own.after.version });
    await partnerContext.close();
    await page.reload();
    await expect(deployment(page, own)).toHaveAttribute('data-status', 'signed');
    await expect(deployment(page, own)).toContainText('Deployed by the partner, signed');
    // The partner signed for one model only: the other still says so.
    await expect(deployment(page, theirs)).toHaveAttribute('data-status', 'not_acknowledged');
    const deployed = await run('node', ['lib/cli/forgetme.mjs', 'verify', bundlePath, '--url', test.info().project.use.baseURL!], {
      env: { ...process.env, FORGETME_DATA_DIR: path.join(tmp, 'none'), FORGETME_LOG_LEVEL: 'error' },
    });
    expect(deployed.stdout).toMatch(/^DEPLOYED {2}.*: Deployed by FaceLab Demo, signed: version \d+/m);
    const findings = JSON.parse(deployed.stdout.trim().split('\n').at(-1)!).deployments as { modelId: string; status: string }[];
    expect(findings.find((d) => d.modelId === own.modelId)?.status).toBe('signed');
    const again = await (await browser.newContext()).newPage();
    await again.goto('/verify');
    await again.getByLabel('Certificate file (certificate.json)').setInputFiles(bundlePath);
    await again.getByRole('button', { name: 'Verify' }).click();
    await expect(deployment(again, own)).toHaveAttribute('data-status', 'signed');
    await again.context().close();

    // The partner heard every step, signed.
    await expect
      .poll(() => [...new Set(receiver.received.filter((r) => r.verified).map((r) => r.payload!.type))].sort(), { timeout: 30_000 })
      .toEqual(['certificate.deployment_acknowledged', 'certificate.issued', 'model.version_created', 'removal.requested']);
    await admin.dispose();
  } finally {
    await receiver.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

/**
 * The partner's side of a deployment acknowledgement, as its engineers would do it: a deployment key
 * registered in the console, an API key, the deployed weights, and `forgetme partner acknowledge`.
 * Signing weights other than the version's is refused before anything is sent.
 */
async function acknowledgeDeployment(o: { partnerPage: Page; admin: APIRequestContext; tmp: string; modelId: string; version: number }) {
  const { partnerPage: p, tmp } = o;
  const keyFile = path.join(tmp, 'deploy-key.pem');
  await run('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', keyFile]);
  const publicPem = (await run('openssl', ['pkey', '-in', keyFile, '-pubout'])).stdout;
  await p.goto('/partner/keys');
  const register = p.locator('form', { has: p.getByRole('heading', { name: 'Register a deployment key' }) });
  await register.getByLabel(/^Name/).fill('journey deploy');
  await register.getByLabel('Ed25519 public key (PEM or JWK)').fill(publicPem);
  await register.getByRole('button', { name: 'Register key' }).click();
  await expect(register.getByText(/Deployment key "journey deploy" registered/)).toBeVisible();
  await expectAccessible(p, 'partner keys, a deployment key registered');
  const create = p.locator('form', { has: p.getByRole('heading', { name: 'Create an API key' }) });
  await create.getByLabel(/^Name/).fill('journey deploy pipeline');
  await create.getByRole('button', { name: 'Create key' }).click();
  const apiKey = await create.locator('#new-key').inputValue();
  const weights = async (v: number) => {
    const file = path.join(tmp, `weights-v${v}.f64`);
    fs.writeFileSync(file, await (await o.admin.get(`/api/v1/models/${o.modelId}/versions/${v}/weights`)).body());
    return file;
  };
  const env = { ...process.env, FORGETME_API_URL: test.info().project.use.baseURL!, FORGETME_API_KEY: apiKey, FORGETME_LOG_LEVEL: 'error' };
  const args = (w: string) => [
    'lib/cli/forgetme.mjs',
    'partner',
    'acknowledge',
    '--model',
    o.modelId,
    '--version',
    String(o.version),
    '--key',
    keyFile,
    '--weights',
    w,
  ];
  const wrong = await run('node', args(await weights(o.version - 1)), { env }).then(
    () => null,
    (err: { code: number; stderr: string }) => err,
  );
  expect(wrong?.stderr).toMatch(/nothing was signed/);
  const done = await run('node', args(await weights(o.version)), { env });
  expect(JSON.parse(done.stdout.trim()).certificateIds.length).toBeGreaterThan(0);
  await p.goto(`/partner/models/${o.modelId}`);
  await expect(p.getByTestId('deployment-signed').first()).toContainText('journey deploy');
}

test("the partner's compliance officer finds the certificate, sees every check pass, downloads it, exports the audit log and sees the figures", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-compliance-'));
  try {
    await signInByForm(page, 'compliance@facelab.example', DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/compliance$/);
    await expect(page.getByTestId('chain-status')).toContainText('Verified');
    await expect(page.getByTestId('chart-removals').locator('svg').first()).toBeVisible();
    await expect(page.getByTestId('chart-budget').locator('svg').first()).toBeVisible();
    // The accuracy axis ends at 100 % (it once ran 98-102 %).
    const ticks = page.getByTestId('chart-accuracy').locator('.recharts-cartesian-axis-tick-value').filter({ hasText: /%$/ });
    await expect(ticks.last()).toHaveText('100%');
    expect((await ticks.allTextContents()).map((t) => parseFloat(t)).every((v) => v >= 0 && v <= 100)).toBe(true);
    await expect(page.getByTestId('time-to-certificate')).toContainText('median');

    const today = new Date().toISOString().slice(0, 10);
    await page.getByRole('link', { name: 'Certificates' }).first().click();
    await page.getByLabel('Issued from').fill(today);
    await page.getByLabel('Issued to').fill(today);
    await page.getByLabel('Method').selectOption('newton-certified');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.getByTestId('certificate-row')).toHaveCount(1);
    await page.getByTestId('certificate-row').getByRole('link').click();
    await expect(page.getByTestId('verdict')).toContainText('Every check passes');
    for (const id of ['signature', 'key_validity', 'schema', 'tree_head', 'inclusion', 'consistency'])
      await expect(page.getByTestId(`check-${id}`)).toHaveAttribute('data-ok', 'true');
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'certificate (JSON)' }).click()]);
    await json.saveAs(path.join(tmp, 'certificate.json'));
    fs.writeFileSync(path.join(tmp, 'keys.json'), await (await page.request.get('/.well-known/jwks.json')).text());
    const cli = await run('node', ['lib/cli/forgetme.mjs', 'verify', path.join(tmp, 'certificate.json'), '--jwks', path.join(tmp, 'keys.json')], {
      env: { ...process.env, FORGETME_DATA_DIR: tmp, FORGETME_LOG_LEVEL: 'error' },
    });
    expect(JSON.parse(cli.stdout.trim().split('\n').at(-1)!).ok).toBe(true);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'certificate (PDF)' }).click()]);
    await pdf.saveAs(path.join(tmp, 'certificate.pdf'));
    expect(fs.readFileSync(path.join(tmp, 'certificate.pdf')).subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('From', { exact: true }).fill(today);
    await page.getByLabel('To', { exact: true }).fill(today);
    await page.getByRole('button', { name: 'Filter' }).click();
    // Actors by name (the id on hover), never a bare id; the numbering explained; each event's data one click away.
    await expect(page.getByTestId('numbering')).toContainText('Numbers this list skips are events of others');
    await expect(page.getByTestId('audit-actor').filter({ hasText: 'Ada Admin' }).first()).toBeVisible();
    await expect(page.getByTestId('audit-actor').filter({ hasText: /^(user|api key) [0-9a-f]{8}…$/ })).toHaveCount(0);
    const withData = page
      .getByTestId('audit-row')
      .filter({ has: page.getByText('Show') })
      .first();
    await withData.getByText('Show').click();
    await expect(withData.locator('pre')).toContainText('{');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    await csv.saveAs(path.join(tmp, 'audit.csv'));
    const lines = fs.readFileSync(path.join(tmp, 'audit.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('seq,at,actor_type,actor_id,organization_id,action,subject_type,subject_id,data,prev_hash,hash');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(1).every((l) => l.split(',')[1].startsWith(today))).toBe(true);
    expect(lines.some((l) => l.includes(',certificate.issued,'))).toBe(true);
    expect(lines.some((l) => l.includes(',model.version_released,'))).toBe(true);

    await page.getByRole('link', { name: 'Requests and deadlines' }).click();
    await expect(page.getByTestId('deadline-row').first()).toContainText('Completed');
    await expect(page.getByTestId('overdue-count')).toHaveText('Nothing overdue.');

    await page.getByRole('link', { name: 'Transparency log' }).click();
    await expect(page.getByTestId('log-audit')).toContainText('✓');
    // A size the log has not reached is "not yet", not a failure.
    await page.goto('/compliance/log?from=1&to=999999');
    await expect(page.getByTestId('consistency')).toHaveAttribute('data-ok', 'not-yet');
    await expect(page.getByTestId('consistency')).toContainText('Not yet: the log holds');

    // Read-only: a compliance officer cannot use the partner console's write routes.
    const denied = await page.request.post('/api/v1/datasets', { headers: SAME_ORIGIN, data: { name: 'nope' } });
    expect(denied.status()).toBe(403);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
