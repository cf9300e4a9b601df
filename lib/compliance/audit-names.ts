import { eq, inArray } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { apiKeys, datasets, memberships, models, organizations, users, webhookEndpoints } from '@/db/schema';
import type { ComplianceScope } from './scope';

/** How an actor or subject is shown: a name where the reader may see one, else a description; the id goes on hover. */
export type AuditName = { label: string; id: string | null };

type EventRef = { actorType: string; actorId: string | null; subjectType: string; subjectId: string | null };

const shortId = (id: string) => `${id.slice(0, 8)}…`;

/**
 * Names for the actors and subjects of a page of audit events, as far as the reader's scope allows:
 * the organisation's own members, API keys, training sets, models and webhook endpoints by name
 * (any organisation's for a platform auditor, with the organisation). A person who asks for removal
 * is never named, to anyone: "a person". Whatever is not found keeps its type and a short id.
 */
export async function auditNames(
  scope: ComplianceScope,
  events: EventRef[],
): Promise<{ actor: (e: EventRef) => AuditName; subject: (e: EventRef) => AuditName }> {
  const db = await getDb();
  const ids = (kind: string, pick: 'actor' | 'subject') => [
    ...new Set(
      events.flatMap((e) =>
        pick === 'actor' ? (e.actorType === kind && e.actorId ? [e.actorId] : []) : e.subjectType === kind && e.subjectId ? [e.subjectId] : [],
      ),
    ),
  ];
  const userIds = [...new Set([...ids('user', 'actor'), ...ids('user', 'subject')])];
  const keyIds = [...new Set([...ids('api_key', 'actor'), ...ids('api_key', 'subject')])];
  const [people, keys, sets, modelRows, endpoints] = await Promise.all([
    userIds.length
      ? db
          .select({ id: users.id, name: users.name, kind: users.kind, org: organizations.name, orgId: organizations.id })
          .from(users)
          .leftJoin(memberships, eq(memberships.userId, users.id))
          .leftJoin(organizations, eq(organizations.id, memberships.organizationId))
          .where(inArray(users.id, userIds))
      : [],
    keyIds.length
      ? db
          .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, orgId: apiKeys.organizationId })
          .from(apiKeys)
          .where(inArray(apiKeys.id, keyIds))
      : [],
    ids('dataset', 'subject').length
      ? db
          .select({ id: datasets.id, name: datasets.name, orgId: datasets.organizationId })
          .from(datasets)
          .where(inArray(datasets.id, ids('dataset', 'subject')))
      : [],
    ids('model', 'subject').length
      ? db
          .select({ id: models.id, name: models.name, orgId: models.organizationId })
          .from(models)
          .where(inArray(models.id, ids('model', 'subject')))
      : [],
    ids('webhook_endpoint', 'subject').length
      ? db
          .select({ id: webhookEndpoints.id, name: webhookEndpoints.url, orgId: webhookEndpoints.organizationId })
          .from(webhookEndpoints)
          .where(inArray(webhookEndpoints.id, ids('webhook_endpoint', 'subject')))
      : [],
  ]);
  const visible = (orgId: string | null) => scope.organizationId === null || orgId === scope.organizationId;
  const names = new Map<string, string>();
  for (const p of people) {
    if (p.kind === 'individual') names.set(p.id, 'a person');
    else if (p.kind === 'auditor') names.set(p.id, `platform auditor ${p.name}`);
    else if (visible(p.orgId)) names.set(p.id, scope.organizationId ? p.name : `${p.name} (${p.org})`);
  }
  for (const k of keys) if (visible(k.orgId)) names.set(k.id, `API key “${k.name}” (${k.prefix})`);
  for (const r of [...sets, ...modelRows, ...endpoints]) if (visible(r.orgId)) names.set(r.id, r.name);
  const described = (type: string, id: string | null): AuditName => {
    if (!id) return { label: type === 'system' ? 'forgetme' : type.replace('_', ' '), id: null };
    const name = names.get(id);
    return { label: name ?? `${type.replace('_', ' ')} ${shortId(id)}`, id };
  };
  return {
    actor: (e) => (e.actorType === 'system' ? { label: 'forgetme', id: null } : described(e.actorType, e.actorId)),
    subject: (e) => {
      const n = described(e.subjectType, e.subjectId);
      return e.subjectType === 'dataset' || e.subjectType === 'model'
        ? { ...n, label: names.has(e.subjectId ?? '') ? `${e.subjectType} “${n.label}”` : n.label }
        : n;
    },
  };
}
