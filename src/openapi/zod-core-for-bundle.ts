/**
 * What hono-openapi's schema converter (@standard-community/standard-json) takes from
 * `await import('zod/v4/core')`: only toJSONSchema. wrangler.toml's [alias] points that
 * specifier here, because a dynamic import of zod's core keeps all of it in the bundle, its
 * 40 locales included (about 265 KB raw). A static named import lets the bundler drop the rest.
 */
export { toJSONSchema } from 'zod';
