import * as z from 'zod';

/** The paginated list answer (admin/pagination.ts toPage), for OpenAPI response schemas. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int().nonnegative(),
    next: z.string().nullable().describe('URL of the next page, or null.'),
    previous: z.string().nullable().describe('URL of the previous page, or null.'),
    results: z.array(item),
  });
}
