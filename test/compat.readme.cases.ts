import { describe, expect, it } from 'vitest';
import readme from '../README.md?raw';
import { ROUTE_ALIASES, type RouteAlias } from '../src/compat/aliases';

/** README's alias table, as it must read for ROUTE_ALIASES (paste this when the table changes). */
function aliasTable(aliases: readonly RouteAlias[]): string {
  const rows = aliases.map((a) => `| \`${a.alias}\` | \`${a.target}\` | ${a.app} | ${a.confirmationOptional ? 'confirmation optional |' : '|'}`);
  return ['| alias (under `/api/v1/`) | answered by | app | notes |', '|---|---|---|---|', ...rows].join('\n');
}

describe('README', () => {
  it('lists exactly the aliases of src/compat/aliases.ts', () => {
    const section = /<!-- alias-table:start -->\n([\s\S]*?)\n<!-- alias-table:end -->/.exec(readme)?.[1];
    expect(section).toBe(aliasTable(ROUTE_ALIASES));
  });

  it('documents the three settings in the configuration table', () => {
    for (const name of ['FRONTEND_URL', 'DEFAULT_PHONE_REGION', 'REQUIRE_EMAIL_VERIFICATION']) expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\| var \\|`, 'm'));
  });
});
