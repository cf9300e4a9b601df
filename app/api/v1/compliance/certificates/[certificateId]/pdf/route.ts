import * as ops from '@/lib/api/operations';
import { certificatePdf } from '@/lib/certificates/person-certificates';
import { requireCertificateInScope } from '@/lib/compliance/certificates-query';
import { complianceScope } from '@/lib/compliance/scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

export const GET = route(ops.complianceCertificatePdf, async ({ principal, params }) => {
  const id = uuidPathParam(params, 'certificateId');
  await requireCertificateInScope(complianceScope(principal), id);
  return new Response(new Uint8Array(await certificatePdf(id)), { headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="forgetme-certificate-${id}.pdf"`, 'cache-control': 'private, no-store' } });
});
