import { openApiDocument } from '@/lib/api/openapi';
import { env } from '@/lib/config/env';
import { route } from '@/lib/http/route';

/** The OpenAPI 3.1 document of the partner API, generated from the schemas that validate it. */
export const GET = route({ auth: 'public' }, async () => openApiDocument(env().publicUrl));
