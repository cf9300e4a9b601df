import { z } from 'zod';

export const emailSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be a valid e-mail address' }));

export const passwordSchema = z.string({ error: 'must be a string' }).min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');

export const nameSchema = z.string({ error: 'must be a string' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters');

export const organizationNameSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(120, 'must be at most 120 characters');

export const signUpSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('individual'), name: nameSchema, email: emailSchema, password: passwordSchema }),
  z.strictObject({
    kind: z.literal('partner'),
    name: nameSchema,
    email: emailSchema,
    password: passwordSchema,
    organizationName: organizationNameSchema,
  }),
]);
export type SignUpInput = z.input<typeof signUpSchema>;

export const signInSchema = z.strictObject({ email: emailSchema, password: z.string().min(1, 'is required').max(200) });

export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'is not a valid link token');
