import { z } from 'zod';

/** Every error the bridge answers with has this body. `code` is stable (see the error catalogue). */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Field-level details for validation errors, or the current values for a conflict. */
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
