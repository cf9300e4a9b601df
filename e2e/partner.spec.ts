import { expect, test } from '@playwright/test';
import { signInByForm, signUpAndVerify, uniqueEmail, waitForMail, appAlert } from './fixtures';

test('a partner sign-up creates an organisation whose admin invites a compliance officer, who then signs in', async ({ page, browser }) => {
  const admin = uniqueEmail('admin');
  const officer = uniqueEmail('officer');
  const org = `Visionary ${Date.now()}`;
  await signUpAndVerify(page, { kind: 'partner', name: 'Pia Partner', email: admin, password: 'a long password', organizationName: org });
  await signInByForm(page, admin, 'a long password');
  await expect(page).toHaveURL(/\/partner$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Partner console · ${org}`);
  // A new organisation starts from a checklist, nothing done; the overview counts what it has.
  await expect(page.getByTestId('checklist').getByRole('heading')).toHaveText('Getting started: 0 of 5 done');
  await expect(page.getByTestId('checklist').getByRole('link', { name: 'Register a training set' })).toBeVisible();
  await expect(page.getByTestId('overview').getByRole('link', { name: /Training sets 0/ })).toBeVisible();
  await page.getByRole('link', { name: 'Removal requests', exact: true }).click();
  await expect(page.getByRole('cell', { name: /No removal request concerns your training sets yet/ })).toBeVisible();
  // The API reference, rendered from the OpenAPI document by Scalar: prose without markdown marks, and curl for each operation.
  await page.getByRole('link', { name: 'API reference' }).click();
  const reference = page.getByTestId('api-reference');
  await expect(reference.getByRole('heading', { name: 'forgetme partner API' })).toBeVisible({ timeout: 30_000 });
  await expect(reference).toContainText('Authenticate with Authorization: Bearer fm_…');
  await expect(reference).not.toContainText('`');
  // Scalar lays a disclosure button over each operation's row: the click lands on it.
  await reference.getByText('Register a training set').first().click({ force: true });
  await expect(reference.getByText(/curl .*\/api\/v1\/datasets/).first()).toBeVisible();
  await page.getByRole('link', { name: 'Overview', exact: true }).click();

  await page.getByRole('link', { name: 'Members', exact: true }).click();
  await page.getByLabel('E-mail address').fill(officer);
  await page.getByLabel('Role').selectOption('compliance');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status')).toContainText(`Invitation sent to ${officer}`);
  await expect(page.getByRole('cell', { name: officer })).toBeVisible();

  const mail = await waitForMail(officer, { subject: /invited to join/ });
  const other = await browser.newPage();
  await other.goto(mail.links[0]);
  await expect(other.getByText(`You are invited to join ${org} as compliance officer`)).toBeVisible();
  await other.getByLabel('Your name').fill('Olga Officer');
  await other.getByLabel('Choose a password').fill('another long password');
  await other.getByRole('button', { name: 'Join the organisation' }).click();
  await expect(other).toHaveURL(/\/sign-in\?verified=1/);
  await signInByForm(other, officer, 'another long password');
  await expect(other).toHaveURL(/\/compliance$/);
  await expect(other.getByTestId('chain-status')).toContainText('Verified');

  // The officer is kept out of the partner console, and an accepted link cannot be reused.
  await other.goto('/partner/members');
  await expect(other).toHaveURL(/\/compliance\?denied=/);
  await other.goto(mail.links[0]);
  await expect(appAlert(other)).toHaveAttribute('data-code', 'token_used');
  await other.close();
});
