import { deploymentEvidence } from '@/lib/deployments/deployment-evidence';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

/** The partner's signed deployment acknowledgements naming a certificate, with their keys (public; `forgetme verify --url` reads it). */
export const GET = route({ auth: 'public' }, async ({ params }) => deploymentEvidence(uuidPathParam(params, 'certificateId')));
