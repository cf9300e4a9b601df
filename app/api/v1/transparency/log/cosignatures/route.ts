import { z } from 'zod';
import { addCosignature } from '@/lib/certificates/witness-cosignatures';
import { route } from '@/lib/http/route';

const body = z.object({
  checkpoint: z.string().min(1).max(65536).describe('The checkpoint the witness checked, as served (a signed note)'),
  cosignature: z.string().min(1).max(1024).describe("The witness's c2sp.org/tlog-cosignature line over it"),
});

/** A configured witness hands in its cosignature (public: the cosignature is the credential; unknown witnesses get 403). */
export const POST = route({ auth: 'public', body }, async ({ body }) => Response.json({ cosignature: await addCosignature(body) }, { status: 201 }));
