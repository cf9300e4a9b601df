import { getBundle } from '@/lib/certificates/get-bundle';
import { requireCertificateAccess } from '@/lib/certificates/person-certificates';
import { AppError } from '@/lib/errors/app-error';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

/** certificate.json: the signed envelope, its inclusion proof and the signed tree head. */
export const GET = route({ auth: { roles: ['individual'] } }, async ({ principal, params }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'Certificates are downloaded by the person, signed in.');
  const id = uuidPathParam(params, 'certificateId');
  await requireCertificateAccess(principal.user.id, id);
  return new Response(JSON.stringify(await getBundle(id), null, 2), {
    headers: { 'content-type': 'application/json', 'content-disposition': `attachment; filename="forgetme-certificate-${id}.json"`, 'cache-control': 'private, no-store' },
  });
});
