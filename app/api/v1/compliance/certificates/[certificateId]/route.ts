import * as ops from '@/lib/api/operations';
import { certificateDetail } from '@/lib/compliance/certificate-detail';
import { complianceScope } from '@/lib/compliance/scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

export const GET = route(ops.complianceCertificate, async ({ principal, params }) => ({
  certificate: await certificateDetail(complianceScope(principal), uuidPathParam(params, 'certificateId')),
}));
