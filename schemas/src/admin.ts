import { z } from 'zod';

/** POST /admin/keys (admin key only). */
export const CreateKeyRequestSchema = z.strictObject({ name: z.string().min(1).max(64), admin: z.boolean().optional().default(false) });

export const KeyRowSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  admin: z.boolean(),
  created_at: z.string(),
  revoked_at: z.string().nullable().optional(),
});
export const KeyListResponseSchema = z.object({ keys: z.array(KeyRowSchema) });
/** The new key's secret is in `key.key`, shown once. */
export const KeyCreateResponseSchema = z.object({ key: z.object({ id: z.number().int(), name: z.string(), admin: z.boolean(), key: z.string() }) });
export const KeyRevokeResponseSchema = z.object({ revoked: z.number().int() });
