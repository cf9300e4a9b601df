import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeZip } from '../lib/testing/make-zip';
import { startWebhookReceiver } from '../lib/testing/webhook-receiver';
import { signInByForm, signUpAndVerify, uniqueEmail } from './fixtures';

const DEMO = path.resolve('db/seed/demo-faces/training');

/** A small real training set: 6 people, 3 photos each, from the demo faces, as a zip and a manifest. */
function smallTrainingSet() {
  const people = fs
    .readdirSync(DEMO)
    .filter((p) => fs.statSync(path.join(DEMO, p)).isDirectory())
    .slice(0, 6);
  const rows = people.flatMap((p) =>
    fs
      .readdirSync(path.join(DEMO, p))
      .sort()
      .slice(0, 3)
      .map((f) => ({ id: f.replace(/\.jpg$/, ''), label: p, file: `${p}/${f}` })),
  );
  const manifest = ['external_id,label,file', ...rows.map((r) => `${r.id},${r.label},${r.file}`)].join('\n');
  const zip = makeZip(rows.map((r) => ({ name: r.file, data: fs.readFileSync(path.join(DEMO, r.file)) })));
  return { manifest, zip, count: rows.length };
}

const INTEGRATION =
  'a partner admin creates a key and a webhook, imports a training set by API, watches it embed, trains a model, and the receiver gets signed events';
test(INTEGRATION, async ({ page, request }) => {
  test.setTimeout(180_000);
  const receiver = await startWebhookReceiver();
  try {
    const admin = uniqueEmail('integrator');
    await signUpAndVerify(page, {
      kind: 'partner',
      name: 'Ivo Integrator',
      email: admin,
      password: 'a long password',
      organizationName: `Pixels ${Date.now()}`,
    });
    await signInByForm(page, admin, 'a long password');
    await expect(page).toHaveURL(/\/partner$/);

    // An API key, shown once.
    await page.getByRole('link', { name: 'API keys', exact: true }).click();
    await page.getByLabel('Name (what uses it').fill('import pipeline');
    await page.getByRole('checkbox', { name: /webhooks:write/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByLabel('Your new key').inputValue();
    expect(key).toMatch(/^fm_[0-9a-f]{8}_/);
    // Shown once, with a copy button that puts exactly the key on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy key' }).click();
    await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await expect(page.getByRole('button', { name: 'Revoke import pipeline' })).toBeVisible();

    // A webhook endpoint pointing at the real receiver; its secret is shown once.
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByLabel('URL (https)').fill(receiver.url);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    receiver.setSecret(await page.getByLabel(/Signing secret/).inputValue());

    // The training set arrives through the API, as a partner's pipeline would send it.
    const auth = { authorization: `Bearer ${key}` };
    const created = await request.post('/api/v1/datasets', { headers: { ...auth, 'idempotency-key': `ds-${Date.now()}` }, data: { name: 'Studio set' } });
    expect(created.status()).toBe(201);
    const { dataset } = await created.json();
    const set = smallTrainingSet();
    const upload = await request.post(`/api/v1/datasets/${dataset.id}/uploads`, {
      headers: auth,
      multipart: {
        manifest: { name: 'manifest.csv', mimeType: 'text/csv', buffer: Buffer.from(set.manifest) },
        archive: { name: 'set.zip', mimeType: 'application/zip', buffer: set.zip },
      },
    });
    expect(upload.status()).toBe(202);

    // The console shows the embedding progress reach 100 %.
    await page.goto(`/partner/datasets/${dataset.id}`);
    // The upload is listed as soon as it has arrived, embedding or done: never "nothing uploaded".
    await expect(page.getByRole('cell', { name: /^(Embedding \d+ %|Completed)$/ }).first()).toBeVisible();
    await expect(page.getByText('No upload has arrived yet')).toHaveCount(0);
    await expect(page.getByLabel(/Upload embedded/)).toHaveAttribute('value', '100', { timeout: 90_000 });
    await expect(page.getByTestId('count-faces')).toHaveText(String(set.count));
    await expect(page.getByTestId('count-identities')).toHaveText('6');

    // A model trained from the console.
    await page.getByRole('link', { name: 'Models', exact: true }).click();
    await page.getByLabel('Name').fill('Studio head');
    await page.getByLabel('Training set').selectOption({ label: 'Studio set' });
    await page.getByRole('button', { name: 'Train model' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Studio head');
    await expect(page.getByRole('cell', { name: 'First training' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('Removal budget used and accuracy, by version')).toBeVisible();
    // What "budget used" is, where it is shown, and why it can go down after a removal.
    await expect(page.getByTestId('budget-explained')).toContainText('does not add up across removals and can go down after one');

    // The receiver got both events, each verified by the standardwebhooks library.
    await expect
      .poll(
        () =>
          receiver.received
            .filter((r) => r.verified)
            .map((r) => r.payload!.type)
            .sort(),
        { timeout: 30_000 },
      )
      .toEqual(['dataset.ingested', 'model.trained']);
    const ingested = receiver.received.find((r) => r.payload?.type === 'dataset.ingested')!;
    expect(ingested.payload!.data).toMatchObject({ datasetId: dataset.id, embedded: set.count, failed: 0 });

    // The delivery log shows them as delivered.
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByRole('link', { name: receiver.url }).click();
    await expect(page.getByTestId('delivery')).toHaveCount(2);
    await expect(page.getByTestId('delivery-status').first()).toHaveText('succeeded');
  } finally {
    await receiver.close();
  }
});
