import type Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import incidentSchema from '../../../schemas/incident.schema.json';
import postmortemSchema from '../../../schemas/postmortem.schema.json';
import triageSchema from '../../../schemas/triage.schema.json';
import { locate, parseJsonWithPositions, pointerToPath, type ParsedJson } from '../json/positions';
import type { FileProblem } from './problems';

export type IncidentFileKind = 'incident' | 'postmortem' | 'triage';

const SCHEMAS: Record<IncidentFileKind, object> = { incident: incidentSchema, postmortem: postmortemSchema, triage: triageSchema };

let ajv: Ajv2020 | undefined;
const compiled = new Map<IncidentFileKind, ValidateFunction>();

/** Compiled on first use: compiling on activation would cost every window start, not just validation. */
function validatorFor(kind: IncidentFileKind): ValidateFunction {
  let fn = compiled.get(kind);
  if (!fn) {
    // Required here, not imported at the top: loading ajv is most of this bundle's start-up cost, and
    // activation must not pay it before anyone validates anything.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require('ajv/dist/2020') as { default: typeof Ajv2020 }).default;
    ajv ??= new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    fn = ajv.compile(SCHEMAS[kind]);
    compiled.set(kind, fn);
  }
  return fn;
}

export interface ValidationResult<T> {
  /** The parsed value when the file is valid JSON (even when it fails the schema), else undefined. */
  value: T | undefined;
  valid: boolean;
  problems: FileProblem[];
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the document' : error.instancePath;
  switch (error.keyword) {
    case 'required':
      return `${where} is missing the required property "${(error.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `${where} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')} (found ${JSON.stringify(error.data)})`;
    case 'pattern': {
      const hint = (error.parentSchema as { description?: string } | undefined)?.description;
      return `${where} ${hint ? `must be ${hint.replace(/\.$/, '')}` : error.message ?? 'does not match its pattern'} (found ${JSON.stringify(error.data)})`;
    }
    case 'type':
      return `${where} must be of type ${(error.params as { type: string }).type} (found ${error.data === null ? 'null' : Array.isArray(error.data) ? 'array' : typeof error.data})`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}

/** Validates already-parsed JSON; problems carry positions from the parse tree. */
export function validateParsed<T>(parsed: ParsedJson, kind: IncidentFileKind): ValidationResult<T> {
  if (parsed.syntaxErrors.length > 0) {
    return {
      value: undefined,
      valid: false,
      problems: parsed.syntaxErrors.map((e) => ({ ...e, pointer: '', severity: 'error' as const })),
    };
  }
  const validate = validatorFor(kind);
  const ok = validate(parsed.value);
  const problems: FileProblem[] = [];
  if (!ok) {
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      // allErrors reports each failing branch; one line per place and message is enough for a reader.
      const message = describe(error);
      const key = `${error.instancePath}\u0000${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const at = locate(parsed, pointerToPath(error.instancePath));
      problems.push({ ...at, message, pointer: error.instancePath, severity: 'error' });
    }
    problems.sort((a, b) => a.offset - b.offset);
  }
  return { value: parsed.value as T, valid: ok, problems };
}

export function validateText<T>(text: string, kind: IncidentFileKind): ValidationResult<T> {
  return validateParsed<T>(parseJsonWithPositions(text), kind);
}
