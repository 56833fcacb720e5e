import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const STIX_SCHEMAS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/stix2-json-schemas/schemas');
export const haveStixSchemas = existsSync(STIX_SCHEMAS);

/**
 * Errors of a bundle and each of its objects against the official STIX 2.1 JSON schemas in
 * ../shared (callers skip when `haveStixSchemas` is false): an empty list means valid.
 */
export function stixErrors(bundle: { objects: { type: string }[] }): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false, logger: false });
  for (const dir of readdirSync(STIX_SCHEMAS)) {
    for (const f of readdirSync(path.join(STIX_SCHEMAS, dir))) ajv.addSchema(JSON.parse(readFileSync(path.join(STIX_SCHEMAS, dir, f), 'utf8')));
  }
  const base = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas';
  const errors: string[] = [];
  const check = (id: string, value: unknown) => {
    const validate = ajv.getSchema(id)!;
    if (!validate(value)) errors.push(`${id}: ${JSON.stringify(validate.errors)}`);
  };
  check(`${base}/common/bundle.json`, bundle);
  for (const o of bundle.objects) check(`${base}/${o.type === 'relationship' ? 'sros' : 'sdos'}/${o.type}.json`, o);
  return errors;
}
