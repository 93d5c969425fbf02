import { z } from 'zod';
import { BinariesSchema } from './artifacts';
import { JsonObjectSchema } from './api-reference';

export const DownloadQuerySchema = z.object({
  version: z.string().max(128).optional(),
  ci: z.enum(['true', 'false', '1', '0']).optional(),
});

/** GET /download/{name}: one variant per type; engine workers answer 204 with no body. */
export const DownloadResponseSchema = z.discriminatedUnion('type', [
  z.object({ name: z.string(), type: z.literal('binary'), version: z.string(), binaries: BinariesSchema, config: JsonObjectSchema }),
  z.object({ name: z.string(), type: z.literal('image'), version: z.string(), image_url: z.string() }),
  z.object({ name: z.string(), type: z.literal('bundle'), version: z.string(), archive_url: z.string(), sha256: z.string() }),
]);
export type DownloadResponse = z.infer<typeof DownloadResponseSchema>;

/** Our upload extension: POST /w/{slug}/archive?version= answers with where the archive now lives. */
export const ArchiveUploadResponseSchema = z.object({
  archive_url: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  entries: z.number().int(),
});
export type ArchiveUploadResponse = z.infer<typeof ArchiveUploadResponseSchema>;
