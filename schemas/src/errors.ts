import { z } from 'zod';

/** One problem of a 422; `fix` names the form a real client needs when there is one (an image pinned by digest...). */
export const ProblemSchema = z.object({ path: z.string(), message: z.string(), fix: z.string().optional() });
export type Problem = z.infer<typeof ProblemSchema>;

/** The one error envelope of every HTTP error (http-api.md). `problems` is our extension for 422s. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/),
    message: z.string(),
    fix: z.string(),
    available: z.array(z.string()),
    problems: z.array(ProblemSchema).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
