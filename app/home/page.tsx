import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/current-user';
import { homePath } from '@/lib/auth/roles';

/** Where sign-in lands: each person's own home, by role. */
export default async function HomeDispatch() {
  const user = await currentUser();
  redirect(user ? homePath(user) : '/sign-in');
}
