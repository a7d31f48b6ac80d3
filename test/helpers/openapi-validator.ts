import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema31 from '@seriousme/openapi-schema-validator/schemas/v3.1/schema.json';

/**
 * @seriousme/openapi-schema-validator as it is, except where it reads its OpenAPI 3.1 schema:
 * it reads the file with node:fs, which the Workers test runtime has no node_modules in, so
 * the same JSON comes in as an import and is compiled the way the package compiles it.
 */
export class OpenApi31Validator extends Validator {
  private compiled?: ReturnType<Ajv2020['compile']>;

  getAjvValidator(version: string) {
    if (version !== '3.1') throw new Error(`only OpenAPI 3.1 is bundled here, not ${version}`);
    if (!this.compiled) {
      const ajv = new Ajv2020({ strict: false });
      addFormats(ajv);
      ajv.addFormat('media-range', true);
      this.compiled = ajv.compile(schema31);
    }
    return this.compiled;
  }
}
