/** The OpenAPI document as Markdown (docs/API.md); see openapi-markdown.mjs. */
export function toMarkdown(doc: unknown): string;
export function typeOf(schema: unknown): string;
