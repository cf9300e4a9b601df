import { latestTreeHead } from '@/lib/certificates/transparency-log';
import { route } from '@/lib/http/route';

/** The transparency log's latest signed tree head (public). */
export const GET = route({ auth: 'public' }, async () => ({ treeHead: await latestTreeHead() }));
