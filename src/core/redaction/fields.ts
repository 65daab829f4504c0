/**
 * Which field and variable names hold secrets. Shared by the redactor (JSON keys, `key=value` text) and the
 * logging linter's `sensitive-data` rule, so both agree on what "sensitive" means.
 *
 * A name is split into words (`apiKey` → api key, `X_AUTH_TOKEN` → x auth token). It is sensitive when a
 * word is one of SENSITIVE_WORDS or two adjacent words form one of SENSITIVE_PAIRS, unless a word says the
 * value is only about the secret (HARMLESS_WORDS: `token_count`, `password_hash`, `card_type`, `secret_name`).
 * Extra names (settings) match exactly, ignoring case and separators.
 */

export const SENSITIVE_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'authorization', 'auth', 'ssn', 'card', 'cvv', 'cvc', 'credential', 'credentials', 'pin', 'cookie', 'session']);
const SENSITIVE_PAIRS = new Set(['api key', 'private key', 'secret key', 'access key', 'credit card', 'card number', 'social security', 'set cookie', 'client secret']);
const JOINED = /^(apikey|apisecret|privatekey|secretkey|accesskey|creditcard|cardnumber|ccnumber|authtoken|accesstoken|refreshtoken|idtoken|clientsecret|xapikey|sessionid|sessionkey)$/;
export const HARMLESS_WORDS = new Set(['hash', 'hashed', 'len', 'length', 'count', 'type', 'types', 'expiry', 'expires', 'expired', 'expiration', 'ttl', 'valid', 'is', 'has', 'masked', 'redacted', 'last4', 'url', 'uri', 'name', 'names', 'field', 'fields', 'id', 'ids', 'prefix', 'kind', 'policy', 'endpoint', 'path', 'file', 'env', 'var', 'required', 'reset', 'min', 'max', 'limit', 'usage', 'at', 'timeout', 'duration', 'start', 'end', 'index', 'size', 'format', 'method', 'provider', 'scheme', 'version']);

/** Lowercase words of an identifier or key. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function isSensitiveName(name: string, extra: readonly string[] = []): boolean {
  const ws = nameWords(name);
  if (ws.length === 0) return false;
  const joined = ws.join('');
  if (extra.some((e) => nameWords(e).join('') === joined)) return true;
  if (JOINED.test(joined)) return true;
  if (ws.some((w) => HARMLESS_WORDS.has(w))) return false;
  // "session" and "auth" alone are too broad (session_count, author): only as a compound.
  if (ws.some((w) => SENSITIVE_WORDS.has(w) && w !== 'session' && w !== 'auth')) return true;
  for (let i = 0; i + 1 < ws.length; i++) if (SENSITIVE_PAIRS.has(`${ws[i]} ${ws[i + 1]}`)) return true;
  return (ws.includes('auth') && ws.length > 1 && ws.some((w) => w === 'header' || w === 'key' || w === 'code'));
}
