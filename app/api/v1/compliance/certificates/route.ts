import * as ops from '@/lib/api/operations';
import { listCertificates } from '@/lib/compliance/certificates-query';
import { complianceScope } from '@/lib/compliance/scope';
import { route } from '@/lib/http/route';

export const GET = route(ops.complianceCertificates, async ({ principal, query }) => listCertificates(complianceScope(principal), query));
