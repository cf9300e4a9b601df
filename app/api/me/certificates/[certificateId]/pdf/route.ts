import { certificatePdf, requireCertificateAccess } from '@/lib/certificates/person-certificates';
import { AppError } from '@/lib/errors/app-error';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';

/** certificate.pdf: the human-readable rendering, with a QR code to /verify. */
export const GET = route({ auth: { roles: ['individual'] } }, async ({ principal, params }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'Certificates are downloaded by the person, signed in.');
  const id = uuidPathParam(params, 'certificateId');
  await requireCertificateAccess(principal.user.id, id);
  return new Response(new Uint8Array(await certificatePdf(id)), {
    headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="forgetme-certificate-${id}.pdf"`, 'cache-control': 'private, no-store' },
  });
});
