import { getBundle } from './get-bundle';
import { certificatePdf } from './person-certificates';

/** certificate.json or certificate.pdf as a download (the caller has checked who may have it). */
export async function certificateDownload(id: string, kind: 'bundle' | 'pdf'): Promise<Response> {
  const [body, type, ext] =
    kind === 'pdf'
      ? [new Uint8Array(await certificatePdf(id)), 'application/pdf', 'pdf']
      : [JSON.stringify(await getBundle(id), null, 2), 'application/json', 'json'];
  return new Response(body, {
    headers: { 'content-type': type, 'content-disposition': `attachment; filename="forgetme-certificate-${id}.${ext}"`, 'cache-control': 'private, no-store' },
  });
}
