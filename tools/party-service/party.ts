// The party service's domain rules, without HTTP or SQL: UUID checks, the
// JSON-schema validation (jsonschema's messages), the name/trading_as
// derivation and the response shapes of ras-party's models.

import type { AttributeVersion, BusinessRecord, NewVersion } from './store.ts';

/** A handled error: answers {"description": ...} with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly description: string | string[],
  ) {
    super(Array.isArray(description) ? description.join('; ') : description);
  }
}

/** Python's KeyError and friends: an unhandled error, answered 500 {}. */
export class ServerError extends Error {}

const HEX32 = /^[0-9a-f]{32}$/i;

/** uuid.UUID(s) accepts braces, a urn:uuid: prefix and missing hyphens; returns the canonical form or undefined. */
export function parseUuid(s: string): string | undefined {
  let h = s.trim();
  if (h.toLowerCase().startsWith('urn:')) h = h.slice(4);
  if (h.toLowerCase().startsWith('uuid:')) h = h.slice(5);
  h = h.replace(/^\{+|\}+$/g, '').replace(/-/g, '');
  if (!HEX32.test(h)) return undefined;
  h = h.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function requireUuid(s: string, suffix = " for property 'id'"): string {
  const u = parseUuid(s);
  if (!u) throw new HttpError(400, `'${s}' is not a valid UUID format${suffix}`);
  return u;
}

/** Python's repr(), for jsonschema's messages. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    const quote = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

/** Python's str() for str.format(). */
function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Check = 'string' | 'integer' | 'object' | { enum: string[] };

function checkType(v: unknown, c: Check): string | undefined {
  if (typeof c === 'object') return c.enum.includes(v as string) ? undefined : `${pyRepr(v)} is not one of ${pyRepr(c.enum)}`;
  const ok = c === 'string' ? typeof v === 'string' : c === 'integer' ? typeof v === 'number' && Number.isInteger(v) : isObject(v);
  return ok ? undefined : `${pyRepr(v)} is not of type '${c}'`;
}

// ras-party 1.13.0's party_schema.json, in its key order (jsonschema reports
// property errors in schema order, then missing required properties).
const ATTRIBUTE_TYPES: [string, Check][] = [
  ['ruref', 'string'], ['birthdate', 'string'], ['cellNo', 'string'], ['checkletter', 'string'], ['currency', 'string'],
  ['entname1', 'string'], ['entname2', 'string'], ['entname3', 'string'], ['entref', 'string'], ['entremkr', 'string'],
  ['formType', 'string'], ['formtype', 'string'], ['froempment', 'integer'], ['frosic2007', 'string'], ['frosic92', 'string'],
  ['frotover', 'integer'], ['inclexcl', 'string'], ['legalstatus', 'string'], ['region', 'string'], ['runame1', 'string'],
  ['runame2', 'string'], ['runame3', 'string'], ['rusic2007', 'string'], ['rusic92', 'string'], ['seltype', 'string'],
  ['tradstyle1', 'string'], ['cell_no', 'integer'],
];
const ATTRIBUTE_REQUIRED = ['runame1', 'runame2', 'runame3'];
const PARTY_TYPES: [string, Check][] = [
  ['sampleUnitRef', 'string'], ['sampleUnitType', { enum: ['B', 'BI'] }], ['sampleSummaryId', 'string'], ['attributes', 'object'],
];
const PARTY_REQUIRED = ['sampleUnitRef', 'sampleUnitType', 'sampleSummaryId', 'attributes'];

/** Business.validate(party, PARTY_SCHEMA): jsonschema's first message lines. */
export function validateParty(party: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const [k, c] of PARTY_TYPES) {
    if (!(k in party)) continue;
    const e = checkType(party[k], c);
    if (e) errors.push(e);
    else if (k === 'attributes') {
      const attrs = party[k] as Record<string, unknown>;
      for (const [ak, ac] of ATTRIBUTE_TYPES) {
        const ae = ak in attrs ? checkType(attrs[ak], ac) : undefined;
        if (ae) errors.push(ae);
      }
      for (const r of ATTRIBUTE_REQUIRED) if (!(r in attrs)) errors.push(`'${r}' is a required property`);
    }
  }
  for (const r of PARTY_REQUIRED) if (!(r in party)) errors.push(`'${r}' is a required property`);
  return errors;
}

/** Business.to_party: the flat POST /businesses body to the party shape. */
export function businessToParty(body: Record<string, unknown>): Record<string, unknown> {
  const party: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'sampleUnitRef' || k === 'sampleUnitType' || k === 'id' || k === 'sampleSummaryId') party[k] = v;
    else attributes[k] = v;
  }
  party.attributes = attributes;
  return party;
}

function format(template: string[], attrs: Record<string, unknown>): string {
  return template
    .map((key) => {
      // str.format(**attributes) raises KeyError: an unhandled 500 {}.
      if (!(key in attrs)) throw new ServerError(`KeyError: '${key}'`);
      return pyStr(attrs[key]);
    })
    .join(' ');
}

/** Business._populate_name_and_trading_as plus the row's other columns. */
export function newVersion(party: Record<string, unknown>): NewVersion {
  const attributes = { ...(party.attributes as Record<string, unknown>) };
  const name = format(['runame1', 'runame2', 'runame3'], attributes);
  const tradingAs = format(['tradstyle1', 'tradstyle2', 'tradstyle3'], attributes);
  attributes.name = name.split(/\s+/).filter(Boolean).join(' ');
  attributes.trading_as = tradingAs.split(/\s+/).filter(Boolean).join(' ');
  const id = typeof party.id === 'string' ? parseUuid(party.id) : undefined;
  return {
    ...(id ? { id } : {}),
    ref: party.sampleUnitRef as string,
    sampleSummaryId: party.sampleSummaryId as string,
    attributes,
    name,
    tradingAs,
  };
}

/** Business.get_attributes_for_collection_exercise: versions are newest first. */
export function activeVersion(b: BusinessRecord, collectionExerciseId?: string): AttributeVersion {
  if (collectionExerciseId) {
    const v = b.versions.find((x) => x.collectionExercise === collectionExerciseId);
    if (v) return v;
  }
  const v = b.versions.find((x) => x.collectionExercise);
  if (!v) throw new HttpError(400, 'Business with reference does not have any active attributes.');
  return v;
}

export function summaryDict(b: BusinessRecord, v: AttributeVersion): Record<string, unknown> {
  return {
    associations: [],
    id: b.id,
    name: v.attributes.name ?? null,
    sampleSummaryId: v.sampleSummaryId,
    sampleUnitRef: b.ref,
    sampleUnitType: 'B',
    trading_as: v.attributes.trading_as ?? null,
  };
}

/** to_business_dict: the summary with every attribute merged in at top level. */
export function verboseDict(b: BusinessRecord, v: AttributeVersion): Record<string, unknown> {
  return { ...summaryDict(b, v), ...v.attributes };
}

/** to_party_dict: the summary plus an `attributes` object. */
export function partyDict(b: BusinessRecord, v: AttributeVersion): Record<string, unknown> {
  return { ...summaryDict(b, v), attributes: v.attributes };
}

/** Business.to_post_response_dict: the version just written, raw name columns. */
export function postResponseDict(id: string, v: NewVersion): Record<string, unknown> {
  return {
    attributes: v.attributes,
    id,
    name: v.name,
    sampleSummaryId: v.sampleSummaryId,
    sampleUnitRef: v.ref,
    sampleUnitType: 'B',
    trading_as: v.tradingAs,
  };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}

const HAS_NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII = /[\u0080-\uffff]/g;

/** Flask's jsonify: sorted keys, compact, ASCII only, trailing newline. */
export function toJson(v: unknown): string {
  let s = JSON.stringify(sortKeys(v));
  if (HAS_NON_ASCII.test(s)) s = s.replace(NON_ASCII, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  return s + '\n';
}
