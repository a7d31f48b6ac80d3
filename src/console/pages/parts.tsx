import type { Child } from 'hono/jsx';
import { withQuery } from '../render';

export function Flash({ message }: { message?: string | null }) {
  return message ? (
    <p class="flash" role="status">
      {message}
    </p>
  ) : null;
}

export function ErrorBox({ message }: { message?: string | null }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}

export function Badge({ children, tone }: { children?: Child; tone?: 'good' | 'bad' | 'warn' }) {
  return <span class={tone ? `badge ${tone}` : 'badge'}>{children}</span>;
}

export function YesNo({ value, good = true }: { value: boolean; good?: boolean }) {
  return <Badge tone={value === good ? 'good' : 'bad'}>{value ? 'yes' : 'no'}</Badge>;
}

/** Previous / next links that keep the current filters. */
export function Pager({ url, page, pages, count }: { url: string; page: number; pages: number; count: number }) {
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={withQuery(url, { page: page - 1 === 1 ? undefined : page - 1 })}>← Previous</a> : null}
      <span class="muted">
        Page {page} of {pages} · {count} in all
      </span>
      {page < pages ? <a href={withQuery(url, { page: page + 1 })}>Next →</a> : null}
    </nav>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function Select({ name, label, choices, value }: { name: string; label: string; choices: Choice[]; value: string | undefined }) {
  return (
    <label>
      {label}
      <select name={name}>
        {choices.map((choice) => (
          <option value={choice.value} selected={choice.value === (value ?? '')}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export const ANY_YES_NO: Choice[] = [
  { value: '', label: 'any' },
  { value: 'true', label: 'yes' },
  { value: 'false', label: 'no' },
];

export const pagesOf = (count: number, pageSize: number) => Math.max(1, Math.ceil(count / pageSize));
