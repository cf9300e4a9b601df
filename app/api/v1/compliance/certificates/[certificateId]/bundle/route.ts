import * as ops from '@/lib/api/operations';
import { getBundle } from '@/lib/certificates/get-bundle';
import { requireCertificateInScope } from '@/lib/compliance/certificates-query';
import { complianceScope } from '@/lib/compliance/scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

export const GET = route(ops.complianceCertificateBundle, async ({ principal, params }) => {
  const id = uuidPathParam(params, 'certificateId');
  await requireCertificateInScope(complianceScope(principal), id);
  return new Response(JSON.stringify(await getBundle(id), null, 2), { headers: { 'content-type': 'application/json', 'content-disposition': `attachment; filename="forgetme-certificate-${id}.json"`, 'cache-control': 'private, no-store' } });
});
