// The OpenAPI document as Markdown (docs/API.md). Pure: the same document gives the same
// text, so a test can compare docs/API.md with what the served document gives.
// Used by scripts/docs-api.mjs and test/openapi.reference.cases.ts.

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const anchor = (text) => text.toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/ +/g, '-');
const refName = (ref) => ref.split('/').pop();
const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A schema's type in one line: `string`, `string | null`, [User](#user)[], `"a" | "b"`. */
export function typeOf(schema) {
  if (!schema || Object.keys(schema).length === 0) return 'any';
  if (schema.$ref) return `[${refName(schema.$ref)}](#${anchor(refName(schema.$ref))})`;
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  for (const key of ['anyOf', 'oneOf']) if (schema[key]) return schema[key].map(typeOf).join(' \\| ');
  if (schema.allOf) return schema.allOf.map(typeOf).join(' & ');
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'any'];
  return types
    .map((t) => {
      if (t === 'array') return `${typeOf(schema.items)}[]`;
      if (t === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') return `map of ${typeOf(schema.additionalProperties)}`;
      if (t === 'string' && schema.format) return `string (${schema.format})`;
      return t;
    })
    .join(' \\| ');
}

/** Constraints worth a reader's eye: length, range, pattern, default. */
function notes(schema) {
  const out = [];
  const base = schema.anyOf?.find((s) => s.type !== 'null') ?? schema;
  if (base.minLength !== undefined || base.maxLength !== undefined) out.push(`length ${base.minLength ?? 0}..${base.maxLength ?? '∞'}`);
  if (base.minimum !== undefined || base.maximum !== undefined) out.push(`${base.minimum ?? '-∞'}..${base.maximum ?? '∞'}`);
  if (base.pattern && !base.format) out.push(`pattern \`${base.pattern}\``);
  if (schema.default !== undefined) out.push(`default \`${JSON.stringify(schema.default)}\``);
  if (schema.description ?? base.description) out.push(schema.description ?? base.description);
  return out.join('; ');
}

/** The fields of an object schema as a table (nested objects as a.b rows); anything else as one line. */
function fieldTable(schema, lines) {
  if (!schema?.properties) {
    lines.push(`Body: ${typeOf(schema)}`, '');
    return;
  }
  lines.push('| Field | Type | Required | Notes |', '|---|---|---|---|');
  const rows = (object, prefix) => {
    for (const [name, prop] of Object.entries(object.properties)) {
      const nested = prop.type === 'object' && prop.properties;
      lines.push(`| \`${prefix}${name}\` | ${nested ? 'object' : typeOf(prop)} | ${object.required?.includes(name) ? 'yes' : ''} | ${cell(notes(prop))} |`);
      if (nested) rows(prop, `${prefix}${name}.`);
    }
  };
  rows(schema, '');
  lines.push('');
}

const AUTH = {
  bearer: 'bearer token (`Authorization: Bearer <access>`)',
  service: 'service token (`Authorization: Bearer <SERVICE_TOKEN>`)',
};
const authOf = (security) => (security?.length ? security.map((s) => Object.keys(s).map((name) => AUTH[name] ?? name).join(' and ')).join(' or ') : 'none');

function operation(lines, path, method, op) {
  lines.push(`### ${method.toUpperCase()} ${path}`, '', `${op.summary}.${op.description ? ` ${op.description}` : ''}`, '');
  lines.push(`Auth: ${authOf(op.security)}`, '');
  const params = op.parameters ?? [];
  if (params.length) {
    lines.push('| Parameter | In | Type | Required | Notes |', '|---|---|---|---|---|');
    for (const p of params) lines.push(`| \`${p.name}\` | ${p.in} | ${typeOf(p.schema)} | ${p.required ? 'yes' : ''} | ${cell(notes(p.schema ?? {}))} |`);
    lines.push('');
  }
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (body) {
    lines.push('Request body (JSON):', '');
    fieldTable(body, lines);
  }
  for (const [status, response] of Object.entries(op.responses)) {
    if (/^[45]XX$/.test(status)) continue;
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      lines.push(`Response ${status}: no body.`, '');
    } else if (schema.$ref || schema.anyOf) {
      lines.push(`Response ${status}: ${typeOf(schema)}`, '');
    } else {
      lines.push(`Response ${status}:`, '');
      fieldTable(schema, lines);
    }
  }
  lines.push('Errors: 4xx and 5xx answer [Error](#error).', '');
}

export function toMarkdown(doc) {
  const lines = [
    `# ${doc.info.title} reference`,
    '',
    '<!-- Generated from the OpenAPI document (GET /openapi.json) by `npm run docs:api`. Do not edit:',
    '     `npm test` fails when this file differs from what the routes document (docs/OPENAPI.md). -->',
    '',
    doc.info.description,
    '',
    'The same document, browsable: `/docs` on a running server; as JSON: `/openapi.json` and [openapi.json](openapi.json).',
    '',
    '## Contents',
    '',
  ];
  const byTag = new Map(doc.tags.map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS.filter((m) => item[m])) byTag.get(item[method].tags[0])?.push([path, method, item[method]]);
  }
  for (const tag of doc.tags) lines.push(`- [${tag.name}](#${anchor(tag.name)}): ${tag.description}`);
  lines.push('- [Schemas](#schemas)', '');
  for (const tag of doc.tags) {
    lines.push(`## ${tag.name}`, '', tag.description, '');
    for (const [path, method, op] of byTag.get(tag.name)) operation(lines, path, method, op);
  }
  lines.push('## Schemas', '');
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`### ${name}`, '');
    if (schema.description) lines.push(schema.description, '');
    fieldTable(schema, lines);
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
