import { z } from 'zod';
import { emailSchema } from '@/lib/auth/schemas';

export const memberRoleSchema = z.enum(['admin', 'engineer', 'compliance'], { error: 'must be admin, engineer or compliance' });

export const inviteMemberSchema = z.strictObject({ email: emailSchema, role: memberRoleSchema });
export type InviteMemberInput = z.input<typeof inviteMemberSchema>;
