import * as ops from '@/lib/api/operations';
import { certificateDownload } from '@/lib/certificates/download';
import { requireCertificateInScope } from '@/lib/compliance/certificates-query';
import { complianceScope } from '@/lib/compliance/scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

export const GET = route(ops.complianceCertificateBundle, async ({ principal, params }) => {
  const id = uuidPathParam(params, 'certificateId');
  await requireCertificateInScope(complianceScope(principal), id);
  return certificateDownload(id, 'bundle');
});
