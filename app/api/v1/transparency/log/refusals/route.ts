import { z } from 'zod';
import { addRefusal, listRefusals } from '@/lib/certificates/witness-refusals';
import { route } from '@/lib/http/route';

const body = z.object({
  witness: z.string().min(1).max(200).describe("The witness's key name, as in FORGETME_WITNESSES"),
  at: z
    .number()
    .int()
    .min(0)
    .max(2 ** 40)
    .describe('When it refused, in seconds since the epoch'),
  reason: z.string().min(1).max(500),
  checkpoint: z.string().min(1).max(65536).describe('The refused checkpoint, as the log served it'),
  signature: z.string().min(1).max(200).describe("The witness's Ed25519 signature over the refusal (base64)"),
});

/** The refusals the log's witnesses reported, newest first (public: evidence about the log). */
export const GET = route({ auth: 'public' }, async () => Response.json({ refusals: await listRefusals(50) }));

/** A configured witness reports a checkpoint it refused to cosign (public: the witness's signature is the credential). */
export const POST = route({ auth: 'public', body }, async ({ body }) => Response.json({ refusal: await addRefusal(body) }, { status: 201 }));
