import type { Metadata } from 'next';
import Link from 'next/link';
import { DeniedNotice } from '@/app/_components/denied-notice';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { getOrganization } from '@/lib/orgs/get-organization';
import { gettingStarted, partnerOverview } from '@/lib/orgs/partner-overview';

export const metadata: Metadata = { title: 'Partner console' };

function Tile({ label, value, detail, href, tone = 'plain' }: { label: string; value: number; detail: string; href: string; tone?: 'plain' | 'warn' }) {
  return (
    <Link
      href={href}
      className={`block rounded-lg bg-white p-4 ring-1 hover:ring-ink focus-visible:ring-2 focus-visible:ring-ink ${
        tone === 'warn' ? 'ring-amber-400' : 'ring-gray-200'
      }`}
    >
      <span className="block text-sm text-gray-600">{label}</span>
      <span className="block text-2xl font-semibold">{value.toLocaleString('en')}</span>
      <span className={`block text-xs ${tone === 'warn' ? 'text-amber-900' : 'text-gray-600'}`}>{detail}</span>
    </Link>
  );
}

export default async function PartnerHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner');
  const orgId = user.organization!.id;
  const [org, o] = await Promise.all([getOrganization({ organizationId: orgId }), partnerOverview(orgId)]);
  const steps = gettingStarted(o);
  const left = steps.filter((s) => !s.done).length;
  const hooks = o.webhooks;
  const hookTrouble = hooks.disabled + hooks.failing > 0 || hooks.failedDeliveries24h > 0;
  return (
    <div className="space-y-6">
      <DeniedNotice searchParams={searchParams} />
      <h1 className="text-2xl font-bold">Partner console · {org.name}</h1>
      <p className="text-gray-700">
        Register your face training sets and the models trained on them here; removal requests that touch them arrive as signed webhooks and as certified new
        model versions.
      </p>
      {left ? (
        <section aria-labelledby="start" className="space-y-2 rounded-lg bg-white p-5 ring-1 ring-gray-200" data-testid="checklist">
          <h2 id="start" className="text-lg font-semibold">
            Getting started: {steps.length - left} of {steps.length} done
          </h2>
          <ol className="space-y-1 text-sm">
            {steps.map((s) => (
              <li key={s.id} data-done={s.done}>
                <span aria-hidden className={s.done ? 'text-green-700' : 'text-gray-400'}>
                  {s.done ? '✓' : '○'}
                </span>{' '}
                {s.done ? (
                  <span className="text-gray-600">
                    {s.label} <span className="sr-only">(done)</span>
                  </span>
                ) : (
                  <Link className="underline" href={s.href}>
                    {s.label}
                  </Link>
                )}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="overview">
        <Tile
          label="Training sets"
          value={o.datasets}
          href="/partner/datasets"
          detail={[
            `${o.items.embedded.toLocaleString('en')} images described`,
            ...(o.items.pending ? [`${o.items.pending.toLocaleString('en')} in progress`] : []),
            ...(o.items.failed ? [`${o.items.failed} failed`] : []),
          ].join(', ')}
        />
        <Tile label="Models" value={o.models} href="/partner/models" detail="each with its versions and removal budget" />
        <Tile
          label="Removals in progress"
          value={o.removals.open}
          href="/partner/removal-requests"
          tone={o.removals.failed ? 'warn' : 'plain'}
          detail={`${o.removals.certified.toLocaleString('en')} certified${o.removals.failed ? `, ${o.removals.failed} failed (operators alerted)` : ''}`}
        />
        <Tile
          label="Webhook endpoints"
          value={hooks.endpoints}
          href="/partner/webhooks"
          tone={hookTrouble ? 'warn' : 'plain'}
          detail={
            hooks.endpoints === 0
              ? 'none yet: removals are then only in the API and here'
              : hookTrouble
                ? `${hooks.disabled} disabled, ${hooks.failing} failing; ${hooks.failedDeliveries24h} deliveries failed in 24 h`
                : `healthy${hooks.pendingDeliveries ? `; ${hooks.pendingDeliveries} deliveries pending` : ''}`
          }
        />
        <Tile label="API keys" value={o.apiKeys} href="/partner/keys" detail="active (revoked keys not counted)" />
        <Tile label="Members" value={org.members} href="/partner/members" detail={`you are ${user.organization!.role}`} />
      </div>
    </div>
  );
}
