import { certificateDownload } from '@/lib/certificates/download';
import { requireCertificateAccess } from '@/lib/certificates/person-certificates';
import { AppError } from '@/lib/errors/app-error';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

/** The person's own certificate (bundle). */
export const GET = route({ auth: { roles: ['individual'] } }, async ({ principal, params }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'Certificates are downloaded by the person, signed in.');
  const id = uuidPathParam(params, 'certificateId');
  await requireCertificateAccess(principal.user.id, id);
  return certificateDownload(id, 'bundle');
});
