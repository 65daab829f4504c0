/**
 * Which JSON field holds what. Every canonical field has candidate paths covering the shapes common Python
 * loggers write (the seed's StructuredLogger, python-json-logger, structlog, OpenTelemetry log records,
 * ECS-style dotted keys); the first candidate seen in the data wins and stays, so detection costs nothing
 * after the first records. A user mapping (setting or `--field`) overrides detection for its fields.
 *
 * Paths are dotted; a key that itself contains dots (`service.name`, `exception.type` as OTel attribute
 * keys) is found too: at each level the longest run of segments that is a key is taken first.
 */
import { isPinoRecord, pinoLevelName } from './values';

export const CANONICAL_FIELDS = [
  'timestamp',
  'level',
  'message',
  'exceptionType',
  'exceptionMessage',
  'stackTrace',
  'traceId',
  'spanId',
  'requestId',
  'userId',
  'endpoint',
  'service',
  'version',
  'logger',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/** A user's mapping: canonical field → dotted path in the JSON object. */
export type FieldMapping = Partial<Record<CanonicalField, string>>;

export const FIELD_CANDIDATES: Record<CanonicalField, readonly string[]> = {
  // (MongoDB writes `"t": {"$date": …}`, Serilog's compact JSON `@t`, `@l`, `@m` or the template `@mt`, `@x`)
  timestamp: ['timestamp', '@timestamp', 'time', 'ts', 'asctime', 'timeUnixNano', 'observedTimeUnixNano', 'observed_timestamp', 'created', 'datetime', 'date', 't.$date', 't', '@t'],
  level: ['level', 'levelname', 'severity', 'severityText', 'severity_text', 'log.level', 'lvl', 'loglevel', 'level_name', 'severityNumber', 'severity_number', 'levelno', '@l', 's'],
  message: ['message', 'msg', 'event', 'body', 'log', 'text', 'short_message', '@m', '@mt'],
  exceptionType: ['exception.type', 'error_type', 'exc_type', 'error.type', 'attributes.exception.type', 'exception_type', 'error.kind', 'err.type'],
  // (Go's loggers write an error's text as a string: logrus's and zerolog's `error`, slog's `err` by custom;
  // those two are read only when they hold a string, see candidateGetter)
  exceptionMessage: ['exception.message', 'error_message', 'exc_value', 'error.message', 'attributes.exception.message', 'exception_message', 'err.message', 'error', 'err'],
  stackTrace: [
    'exception.traceback',
    'exception.stacktrace',
    'exc_info',
    'exception',
    'exc_text',
    'stack_trace',
    'stacktrace',
    'traceback',
    'error.stack_trace',
    'error.stack',
    'attributes.exception.stacktrace',
    'stack',
    'err.stack',
  ],
  traceId: ['trace_id', 'traceId', 'otelTraceID', 'trace.id', 'dd.trace_id', 'traceid', 'attributes.trace_id'],
  spanId: ['span_id', 'spanId', 'otelSpanID', 'span.id', 'dd.span_id', 'spanid', 'attributes.span_id'],
  requestId: ['request_id', 'requestId', 'req_id', 'correlation_id', 'http.request_id', 'attributes.request_id', 'x_request_id'],
  userId: ['user_id', 'userId', 'uid', 'user.id', 'enduser.id', 'attributes.user_id', 'attributes.enduser.id', 'user'],
  endpoint: ['endpoint', 'http.route', 'route', 'path', 'url.path', 'request_path', 'http.target', 'attributes.http.route', 'attributes.url.path', 'attributes.http.target', 'url'],
  service: ['service', 'service.name', 'service_name', 'resource.service.name', 'resource.attributes.service.name', 'app', 'application'],
  version: ['version', 'service.version', 'resource.service.version', 'resource.attributes.service.version', 'release', 'app_version', 'model_version'],
  logger: ['logger', 'name', 'logger_name', 'scope.name', 'log.logger'],
};

export type Getter = (o: Record<string, unknown>) => unknown;

const FIELD_BIT = Object.fromEntries(CANONICAL_FIELDS.map((f, i) => [f, 1 << i])) as Record<CanonicalField, number>;

/**
 * For each key a candidate path can start with at the top level (`error` and `error.stack` for `error.stack`:
 * compilePath takes the longest key first), the fields (FIELD_BIT) with such a candidate.
 */
const KEY_FIELDS = new Map<string, number>();
for (const field of CANONICAL_FIELDS) {
  for (const path of FIELD_CANDIDATES[field]) {
    const segs = path.split('.');
    for (let i = 1; i <= segs.length; i++) {
      const key = segs.slice(0, i).join('.');
      KEY_FIELDS.set(key, (KEY_FIELDS.get(key) ?? 0) | FIELD_BIT[field]);
    }
  }
}

interface Candidate {
  path: string;
  get: Getter;
}

interface FieldState {
  lock: Candidate | undefined;
  explicit: boolean;
  /** Candidates still looked at (all of them once locked: see `get`); emptied when given up. */
  candidates: Candidate[];
  misses: number;
  /** Misses before the lock (see `partState`). */
  missesAtLock?: number;
}

/** What a part of a log read apart learnt about one field (see FieldResolver `partState` and `chainFields`). */
export interface FieldPart {
  lock?: string;
  /** Misses before the lock, or all of them when none was found. */
  misses: number;
}

/** The detection state of one read (the fields in the order they were locked). */
export interface FieldsState {
  order: CanonicalField[];
  fields: Record<CanonicalField, { lock?: string; givenUp: boolean; misses: number }>;
}

/**
 * MongoDB's level is `"s": "E"` (F, E, W, I, D1–D5): a key that short is a level only with those values (an
 * `s` of seconds in another log is not one).
 */
const MONGO_SEVERITY = /^(?:F|E|W|I|D[1-5]?)$/;

/** The detected paths candidateGetter reads through a filter (see `specialValue`). */
export type SpecialField = 'mongoSeverity' | 'errorText';

function specialOf(field: CanonicalField, path: string): SpecialField | undefined {
  if (field === 'level' && path === 's') return 'mongoSeverity';
  if (field === 'exceptionMessage' && (path === 'error' || path === 'err')) return 'errorText';
  return undefined;
}

/** A value as a filtering getter reads it: undefined when it is not one. */
export function specialValue(special: SpecialField, v: unknown): unknown {
  // (MongoDB's severity letter; `"error": true` flags a line in some logs: only an error's text is one)
  if (special === 'mongoSeverity') return typeof v === 'string' && MONGO_SEVERITY.test(v) ? v : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function candidateGetter(field: CanonicalField, path: string): Getter {
  const special = specialOf(field, path);
  if (special !== undefined) return (o) => specialValue(special, o[path]);
  return compilePath(path);
}

/** No log record nests fields this deep; parseFieldMapping refuses longer paths. */
export const MAX_PATH_SEGMENTS = 32;

/** Compiles a dotted path into a getter that prefers the longest key at each level. */
export function compilePath(path: string): Getter {
  const segs = path.split('.');
  // The key table grows with the square of the segments: a path of thousands of dots is a key, not a path.
  if (segs.length === 1 || segs.length > MAX_PATH_SEGMENTS) return (o) => o[path];
  // keys[from][to] = segs[from..to) joined with dots, computed once.
  const keys = segs.map((_, from) => segs.map((__, k) => segs.slice(from, k + 1).join('.')));
  const get = (o: unknown, from: number): unknown => {
    if (typeof o !== 'object' || o === null) return undefined;
    const obj = o as Record<string, unknown>;
    for (let to = segs.length; to > from; to--) {
      const key = keys[from]![to - 1]!;
      if (key in obj) {
        const v = obj[key];
        if (to === segs.length) return v;
        const r = get(v, to);
        if (r !== undefined) return r;
      }
    }
    return undefined;
  };
  return (o) => get(o, 0);
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/**
 * A step of FieldResolver `readRecord`: the field's slot in CANONICAL_FIELDS and how it is read; once settled,
 * the path it is read from (and whether its getter filters the value, `special`).
 */
export interface ReadStep {
  slot: number;
  get: Getter;
  others: Getter[] | undefined;
  /** The paths `others` read. */
  otherPaths?: readonly string[];
  path?: string;
  special?: SpecialField;
}

/** See FieldResolver `inPlacePlan`. */
export interface InPlacePlan {
  /** The locked fields' steps, in READ_ORDER, each with its `path`. */
  steps: readonly ReadStep[];
  /** The fields still looked for. */
  searching: readonly CanonicalField[];
  /** The top-level keys that could hold one of them: whole candidate paths, and keys that begin longer ones. */
  searchKeys: { whole: readonly string[]; begins: readonly string[] };
}

/**
 * The top-level keys through which one of `paths` could be read (compilePath: a dotted path is looked up as a
 * key whole, or through a key that begins it and holds an object).
 */
export function keysThrough(paths: Iterable<string>): { whole: readonly string[]; begins: readonly string[] } {
  const whole = new Set<string>();
  const begins = new Set<string>();
  for (const path of paths) {
    whole.add(path);
    const segs = path.split('.');
    for (let i = 1; i < segs.length; i++) begins.add(segs.slice(0, i).join('.'));
  }
  for (const k of whole) begins.delete(k);
  return { whole: [...whole], begins: [...begins] };
}

function searchKeysOf(fields: readonly CanonicalField[]): InPlacePlan['searchKeys'] {
  return keysThrough(fields.flatMap((f) => FIELD_CANDIDATES[f]));
}

/**
 * The order a record's fields are read in while detection looks (it decides which field is locked first
 * when several are found on one record, the order `mapping` reports): first the fields without which a
 * record is not one (READ_HEAD), then the others.
 */
const READ_HEAD: readonly CanonicalField[] = ['level', 'message', 'stackTrace', 'exceptionType'];
const READ_ORDER: readonly CanonicalField[] = [...READ_HEAD, 'timestamp', 'exceptionMessage', 'service', 'version', 'endpoint', 'logger', 'userId', 'requestId', 'traceId', 'spanId'];
/** Each canonical field's index in CANONICAL_FIELDS (its slot in `readRecord`'s output). */
export const FIELD_SLOT = Object.fromEntries(CANONICAL_FIELDS.map((f, i) => [f, i])) as Record<CanonicalField, number>;
const HEAD_SLOTS = READ_HEAD.map((f) => FIELD_SLOT[f]);

/** None of the READ_HEAD fields has a value in `out` (by CANONICAL_FIELDS index): the record is not one. */
export function noneOfHead(out: readonly unknown[]): boolean {
  return out[HEAD_SLOTS[0]!] === undefined && out[HEAD_SLOTS[1]!] === undefined && out[HEAD_SLOTS[2]!] === undefined && out[HEAD_SLOTS[3]!] === undefined;
}

/**
 * Resolves canonical fields on objects: fixed paths for mapped fields, detection for the rest. Detection
 * picks, for each field, the first candidate that has a value and keeps it ("locks" it) for later records,
 * so a field found once is read with a single lookup afterwards.
 */
export class FieldResolver {
  /** Locked fields in the order they were locked (the order `mapping` reports them in). */
  private readonly locked = new Map<CanonicalField, Candidate>();
  /**
   * Each field's state in one object with a property per field: `get` runs a dozen times per record, and a
   * property read is cheaper than the three map lookups it took.
   */
  private readonly state_: Record<CanonicalField, FieldState>;
  static readonly GIVE_UP = 5_000;
  /** Fields the user mapped explicitly. */
  readonly explicit: ReadonlySet<CanonicalField>;

  private readonly giveUp: number;
  private readonly shortcuts: boolean;

  /**
   * `tuning` is for tests: `giveUp`, misses before a field is given up (GIVE_UP); `shortcuts: false` reads
   * without the settled plan and the key filter (`readRecord`, `mayHave`), the reference they must agree with.
   */
  constructor(mapping: FieldMapping = {}, tuning: { giveUp?: number; shortcuts?: boolean } = {}) {
    this.giveUp = tuning.giveUp ?? FieldResolver.GIVE_UP;
    this.shortcuts = tuning.shortcuts ?? true;
    const explicit = new Set<CanonicalField>();
    const state = {} as Record<CanonicalField, FieldState>;
    for (const field of CANONICAL_FIELDS) {
      const path = mapping[field];
      if (path) {
        const lock = { path, get: compilePath(path) };
        this.locked.set(field, lock);
        explicit.add(field);
        state[field] = { lock, explicit: true, candidates: [], misses: 0 };
      } else {
        state[field] = { lock: undefined, explicit: false, candidates: FIELD_CANDIDATES[field].map((p) => ({ path: p, get: candidateGetter(field, p) })), misses: 0 };
      }
    }
    this.state_ = state;
    this.explicit = explicit;
    const detect = {} as Record<CanonicalField, Getter>;
    for (const field of CANONICAL_FIELDS) detect[field] = (o) => this.get(o, field);
    this.detect = detect;
  }

  /** The level field is on pino's scale (`usePinoLevels`): its numbers are read as pino's names. */
  pinoLevels = false;
  private scaleChecks = 0;

  /** Looks at the first 20 records read whole for pino's or bunyan's (values.ts `isPinoRecord`). */
  noteLevelScale(o: Record<string, unknown>): void {
    if (this.pinoLevels || this.scaleChecks >= 20) return;
    this.scaleChecks++;
    if (isPinoRecord(o)) this.usePinoLevels();
  }

  /** Reads numeric levels as pino and bunyan mean them (values.ts `isPinoRecord`), from now on. */
  usePinoLevels(): void {
    if (this.pinoLevels) return;
    this.pinoLevels = true;
    // (the level's getters change: the plan is made again)
    this.planStale = true;
    const st = this.state_.level;
    const wrap = (c: Candidate): Candidate => {
      const get = c.get;
      return { path: c.path, get: (o) => pinoLevelName(get(o)) };
    };
    st.candidates = st.candidates.map(wrap);
    if (st.lock) {
      st.lock = st.candidates.find((c) => c.path === st.lock!.path) ?? wrap(st.lock);
      this.locked.set('level', st.lock);
    }
  }

  /**
   * How `readRecord` reads a record: one step per field, in READ_ORDER. While detection looks, a step is the
   * field's `get`; once every field is locked or given up (and with shortcuts), a step is the locked path's
   * getter (and the other candidates, looked at when it has no value), without the lookups `get` makes, and a
   * field given up has none. Either way a record is read by the same code: a function V8 compiled for the
   * first plan is not thrown away when the second comes.
   */
  private plan: ReadStep[] | undefined;
  /** Steps of the plan for the fields READ_HEAD names (they come first). */
  private planHead = 0;
  /** A field was locked or given up (or the level scale changed) since the plan was made. */
  private planStale = true;
  /** Each field's `get`, as a step of the plan while detection looks. */
  private readonly detect: Record<CanonicalField, Getter>;

  /**
   * Every canonical field of `o` into `out` (by CANONICAL_FIELDS index), as `get` reads them, in READ_ORDER;
   * false when `o` has none of the READ_HEAD fields (then the others are not looked up, as detection counts
   * the lookups it makes).
   */
  readRecord(o: Record<string, unknown>, out: unknown[]): boolean {
    const plan = this.plan === undefined || this.planStale ? this.makePlan() : this.plan;
    for (let i = 0; i < CANONICAL_FIELDS.length; i++) out[i] = undefined;
    const head = this.planHead;
    for (let i = 0; i < plan.length; i++) {
      if (i === head && noneOfHead(out)) return false;
      const step = plan[i]!;
      let v = step.get(o);
      if (step.others !== undefined && !present(v)) {
        // (as `get`: a detected path missing on this record, another candidate may have it)
        for (const other of step.others) {
          const w = other(o);
          if (present(w)) {
            v = w;
            break;
          }
        }
      }
      out[step.slot] = v;
    }
    return head < plan.length || !noneOfHead(out);
  }

  private makePlan(): ReadStep[] {
    this.planStale = false;
    const searching = READ_ORDER.filter((f) => this.searching(f));
    const settled = this.shortcuts && searching.length === 0;
    const plan: ReadStep[] = [];
    const lockedSteps: ReadStep[] = [];
    let head = 0;
    for (const field of READ_ORDER) {
      const st = this.state_[field];
      const lock = st.lock;
      const slot = FIELD_SLOT[field];
      // (a field given up: `get` reads nothing and counts nothing)
      if (lock === undefined && st.candidates.length === 0) continue;
      if (lock !== undefined) {
        const others = st.explicit ? undefined : st.candidates.filter((c) => c.path !== lock.path);
        lockedSteps.push({ slot, get: lock.get, others: others?.map((c) => c.get), otherPaths: others?.map((c) => c.path), path: lock.path, special: st.explicit ? undefined : specialOf(field, lock.path) });
      }
      plan.push(settled ? lockedSteps[lockedSteps.length - 1]! : { slot, get: this.detect[field], others: undefined });
      if (READ_HEAD.includes(field)) head = plan.length;
    }
    this.planHead = head;
    // (with the level still looked for, no line could be read in place)
    this.inPlace = this.shortcuts && this.state_.level.lock !== undefined ? { steps: lockedSteps, searching, searchKeys: searchKeysOf(searching) } : undefined;
    return (this.plan = plan);
  }

  private inPlace: InPlacePlan | undefined;

  /**
   * How a record may be read without the parsed object (./rawRecord.ts): the locked fields' steps, and the
   * fields still looked for, with the top-level keys that could hold them. A record that has none of those keys
   * misses each of them, as `get` would count (`missedInPlace`). Undefined while the level is not locked (or
   * without shortcuts). The same object until the plan is made again, so a reader built on it can tell.
   */
  inPlacePlan(): InPlacePlan | undefined {
    if (this.plan === undefined || this.planStale) this.makePlan();
    return this.inPlace;
  }

  /**
   * A record read in place had none of the keys of the fields still looked for (`inPlacePlan`): counts the
   * misses the read of the parsed object would have. Of an error record (or with every record read) every
   * field is read; of another, only its time and release (see reader.ts `json`).
   */
  missedInPlace(wholeRecord: boolean): void {
    const searching = this.inPlace?.searching;
    if (searching === undefined) return;
    for (let i = 0; i < searching.length; i++) {
      const field = searching[i]!;
      if (!wholeRecord && field !== 'timestamp' && field !== 'version') continue;
      const st = this.state_[field];
      if (++st.misses >= this.giveUp) {
        st.candidates = [];
        this.planStale = true;
      }
    }
  }

  /** The level scale is known: the records that decide it (`noteLevelScale`) have all been looked at. */
  get levelScaleKnown(): boolean {
    return this.pinoLevels || this.scaleChecks >= 20;
  }

  get(o: Record<string, unknown>, field: CanonicalField): unknown {
    const st = this.state_[field];
    const lock = st.lock;
    if (lock !== undefined) {
      const v = lock.get(o);
      if (st.explicit || present(v)) return v;
      // A detected path missing on this record: another shape may be mixed in (e.g. stderr tracebacks
      // wrapped by another logger); look at the other candidates without moving the lock.
      for (const c of st.candidates) {
        if (c.path === lock.path) continue;
        const w = c.get(o);
        if (present(w)) return w;
      }
      return v;
    }
    const list = st.candidates;
    if (list.length === 0) return undefined;
    if (!this.shortcuts || this.mayHave(o, field)) {
      for (const c of list) {
        const v = c.get(o);
        if (present(v)) {
          st.missesAtLock = st.misses;
          st.lock = c;
          this.locked.set(field, c);
          this.planStale = true;
          return v;
        }
      }
    }
    // A field absent from the first 5,000 records read for it is not looked for again (a log either has
    // trace ids or it does not); this keeps absent fields from costing a dozen lookups on every line.
    if (++st.misses >= this.giveUp) {
      st.candidates = [];
      this.planStale = true;
    }
    return undefined;
  }

  /** The object `keyFields` was made for, and the fields a candidate of which starts at one of its keys. */
  private keysOf: object | undefined;
  private keyFields = 0;

  /**
   * Whether a candidate of `field` may have a value in `o`: one of its keys starts a candidate's path. A
   * record's keys are looked at once for every field still looked for, instead of each field's dozen
   * candidate paths (while detection looks, most of a record's lookups are of fields it does not have).
   */
  private mayHave(o: Record<string, unknown>, field: CanonicalField): boolean {
    if (o !== this.keysOf) {
      let bits = 0;
      for (const key in o) bits |= KEY_FIELDS.get(key) ?? 0;
      this.keysOf = o;
      this.keyFields = bits;
    }
    return (this.keyFields & FIELD_BIT[field]) !== 0;
  }

  /** The detection state as data: of a whole read (`state`) or of a part read from its middle (`partState`). */
  state(): FieldsState {
    const fields = {} as FieldsState['fields'];
    for (const f of CANONICAL_FIELDS) {
      const st = this.state_[f];
      fields[f] = { ...(st.lock ? { lock: st.lock.path } : {}), givenUp: !st.lock && st.candidates.length === 0, misses: st.misses };
    }
    return { order: [...this.locked.keys()], fields };
  }

  partState(): { order: CanonicalField[]; fields: Record<CanonicalField, FieldPart> } {
    const fields = {} as Record<CanonicalField, FieldPart>;
    for (const f of CANONICAL_FIELDS) {
      const st = this.state_[f];
      fields[f] = st.lock ? { lock: st.lock.path, misses: st.missesAtLock ?? 0 } : { misses: st.misses };
    }
    return { order: [...this.locked.keys()], fields };
  }

  /** A field not found yet that is still being looked for (not given up on after GIVE_UP records). */
  searching(field: CanonicalField): boolean {
    const st = this.state_[field];
    return st.lock === undefined && st.candidates.length > 0;
  }

  /** The path a field is read from once known (explicit or detected), else undefined. */
  lockedPath(field: CanonicalField): string | undefined {
    return this.locked.get(field)?.path;
  }

  /** The mapping in use so far: explicit fields and detected ones. */
  mapping(): FieldMapping {
    const out: FieldMapping = {};
    for (const [field, { path }] of this.locked) out[field] = path;
    return out;
  }
}

/**
 * Parses `--field key=path` / setting entries into a mapping; unknown keys are reported, not ignored.
 * Accepts the canonical names and snake_case (`user_id=ctx.uid`).
 */
export function parseFieldMapping(entries: Record<string, unknown>): { mapping: FieldMapping; problems: string[] } {
  const mapping: FieldMapping = {};
  const problems: string[] = [];
  const byLower = new Map(CANONICAL_FIELDS.map((f) => [f.toLowerCase(), f]));
  for (const [key, value] of Object.entries(entries)) {
    const field = byLower.get(key.replace(/[_-]/g, '').toLowerCase());
    if (!field) {
      problems.push(`unknown field "${key}" (known: ${CANONICAL_FIELDS.join(', ')})`);
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`field "${key}" needs a JSON path such as "ctx.user"`);
      continue;
    }
    if (value.split('.').length > MAX_PATH_SEGMENTS) {
      problems.push(`field "${key}": the path has more than ${MAX_PATH_SEGMENTS} dotted parts`);
      continue;
    }
    mapping[field] = value.trim();
  }
  return { mapping, problems };
}

/**
 * The detection state after a part of a log read apart (by a fresh resolver, from the part's start) that
 * follows a read in state `before`; undefined when that part, read in order, could have read a field
 * differently (it locked another path, found a field given up by then, or found it after the give-up). A
 * part that gave up on a field itself saw GIVE_UP misses in a row: the read in order gave up by then too.
 * Explicit fields are locked the same in both.
 */
export function chainFields(before: FieldsState, part: { order: CanonicalField[]; fields: Record<CanonicalField, FieldPart> }): FieldsState | undefined {
  const fields = { ...before.fields };
  const order = [...before.order];
  for (const f of CANONICAL_FIELDS) {
    const b = before.fields[f];
    const p = part.fields[f];
    if (b.lock !== undefined) {
      if (p.lock !== undefined && p.lock !== b.lock) return undefined;
    } else if (b.givenUp) {
      if (p.lock !== undefined) return undefined;
    } else if (p.lock !== undefined) {
      if (b.misses + p.misses >= FieldResolver.GIVE_UP) return undefined;
      fields[f] = { lock: p.lock, givenUp: false, misses: b.misses + p.misses };
    } else {
      const misses = b.misses + p.misses;
      fields[f] = { givenUp: misses >= FieldResolver.GIVE_UP, misses };
    }
  }
  for (const f of part.order) if (!order.includes(f) && fields[f].lock !== undefined) order.push(f);
  return { order, fields };
}

/** The mapping of a detection state (explicit and detected fields, in the order they were locked). */
export function mappingOf(state: FieldsState): FieldMapping {
  const out: FieldMapping = {};
  for (const f of state.order) if (state.fields[f].lock !== undefined) out[f] = state.fields[f].lock;
  return out;
}
