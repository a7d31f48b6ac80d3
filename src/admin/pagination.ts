import { ApiError } from '../http/errors';

export interface PageRequest {
  page: number;
  page_size: number;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export const offsetOf = ({ page, page_size }: PageRequest) => (page - 1) * page_size;

/**
 * DRF's page-number envelope: `next` and `previous` are the request's own URL with
 * `page` moved, and a page past the last one (other than page 1) is a 404.
 */
export function toPage<T>(url: string, request: PageRequest, count: number, results: T[]): Page<T> {
  const pages = Math.max(1, Math.ceil(count / request.page_size));
  if (request.page > pages) throw new ApiError('not_found', 'Invalid page.');
  return {
    count,
    next: request.page < pages ? withPage(url, request.page + 1) : null,
    previous: request.page > 1 ? withPage(url, request.page - 1) : null,
    results,
  };
}

function withPage(url: string, page: number): string {
  const next = new URL(url);
  if (page === 1) next.searchParams.delete('page');
  else next.searchParams.set('page', String(page));
  return next.toString();
}
