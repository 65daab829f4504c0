/**
 * One detector per kind of credential, each written against the format its issuer documents, so a match is a
 * secret and not a look-alike. The redactor (./redact.ts) runs them in the order of SECRET_DETECTORS, before
 * the sensitive-field, email, card and SSN detectors, and counts every `[REDACTED:<kind>]` it writes under that
 * kind; `iwb redact --json` and the evidence record report those counts.
 *
 * Where a secret sits next to something that is not secret (the user of a connection URL, the scheme of an
 * Authorization header, the name in `AccountKey=`), only the secret is replaced, so the line still says what
 * it was.
 */

export const MARK = '[REDACTED';
export const placeholder = (kind: string) => `[REDACTED:${kind}]`;

export interface Detector {
  kind: string;
  regex: RegExp;
  /** Matches that hold a placeholder are skipped, unless the detector looks at them itself (a header's whole line). */
  seesPlaceholders?: boolean;
  /** A match that is not a secret holds none anywhere inside: scanning resumes after it, not one character on. */
  judgesWholeMatch?: boolean;
  /** A text this does not match cannot hold the secret: the detector's regular expression is not run on it. */
  needs?: RegExp;
  /**
   * The replacement of the match, or undefined when the match is not a secret after all. A detector whose
   * regular expression finds only where a secret starts (a field's name) reads the rest itself from `text`
   * and says where the replaced part ends.
   */
  replace(match: RegExpExecArray, text: string): string | { text: string; end: number } | undefined;
}

/** The credential kinds, in the order they run, with what each one finds (docs/guide.md lists the same). */
export const SECRET_KINDS = {
  'gcp-service-account': 'the private_key and private_key_id of a Google Cloud service account JSON key',
  'private-key': 'PEM private keys (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP), also cut off or inside JSON strings',
  'url-credentials': 'the password of a URL with credentials, any scheme and any host (mysql://root:secret@localhost, redis://:pass@cache)',
  'auth-header': 'Authorization and Proxy-Authorization header values, any case and any scheme (Bearer, Basic, token, Digest, AWS4-HMAC-SHA256, …)',
  'slack-webhook': 'Slack incoming webhook and workflow URLs (hooks.slack.com/services/…)',
  'azure-storage': 'Azure storage and Service Bus AccountKey / SharedAccessKey values, and the signature of SAS tokens',
  jwt: 'JSON Web Tokens, signed or unsigned (alg: none)',
  'github-token': 'GitHub tokens: ghp_, gho_, ghu_, ghs_, ghr_ and fine-grained github_pat_',
  'gitlab-token': 'GitLab tokens: glpat-, gldt-, glrt-, glptt-, glcbt-, gloas-, glft-, glimt-, glsoat-, glagent- and runner registration tokens',
  'slack-token': 'Slack bot, user, app and configuration tokens (xoxb-, xoxp-, xoxa-, xoxr-, xoxe-, xapp-)',
  'stripe-key': 'Stripe secret and restricted keys (sk_live_, sk_test_, rk_live_, rk_test_) and webhook signing secrets (whsec_)',
  'aws-secret-key': 'AWS secret access keys: named (aws_secret_access_key, SecretAccessKey) or a bare 40-character secret next to an access key id',
  'aws-access-key': 'AWS access key ids (AKIA…, ASIA…)',
  'gcp-api-key': 'Google API keys (AIza…)',
  'npm-token': 'npm access tokens (npm_…)',
  'pypi-token': 'PyPI API tokens (pypi-AgE…)',
  'api-key': 'other provider keys in a known format (OpenAI and Anthropic sk-…)',
  bearer: 'Bearer and Basic credentials outside an Authorization header (Basic only when it decodes to user:password)',
} as const;
export type SecretKind = keyof typeof SECRET_KINDS;

/** Characters that cannot continue a token: a match must end where the token ends, not inside a longer word. */
const END = '(?![A-Za-z0-9_-])';

function base64Decoded(text: string): string | undefined {
  try {
    return atob(text.replace(/=+$/, '').padEnd(Math.ceil(text.replace(/=+$/, '').length / 4) * 4, '='));
  } catch {
    return undefined;
  }
}

/** `user:password` in Basic credentials: printable text with a colon, which random words do not decode to. */
function isBasicCredential(token: string): boolean {
  const decoded = base64Decoded(token);
  return decoded !== undefined && decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded) && decoded.indexOf(':') > 0;
}

/** A random-looking token rather than a word: it has a digit, or is long enough that words do not reach it. */
const tokenLike = (t: string) => /\d/.test(t) || t.length >= 24;

/** The 40 characters of an AWS secret access key are random base64: both cases, not a hex digest. */
const awsSecretLike = (t: string) => t.length === 40 && /[A-Z]/.test(t) && /[a-z]/.test(t) && !/^[0-9a-f]+$/i.test(t);

export function secretDetectors(): Record<SecretKind, Detector[]> {
  const whole = (kind: string) => () => placeholder(kind);
  return {
    'private-key': [
      {
        kind: 'private-key',
        needs: /PRIVATE KEY/,
        // A whole block, or (when the text was cut) the header and every base64 line after it; prose ends it.
        regex: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----(?:(?:(?!-----BEGIN )[\s\S]){0,200000}?-----END \1PRIVATE KEY\2-----|(?:(?:\\[nr]|\s)*(?:[A-Za-z0-9+/=]{40,}|(?:Proc-Type|DEK-Info|Version|Comment): [^\n\\]{0,200}))*(?:(?:\\[nr]|\s)*[A-Za-z0-9+/]{1,39}={0,2}(?=\\[nr]|\s|"|$))?)/g,
        replace: whole('private-key'),
      },
    ],
    'gcp-service-account': [
      {
        kind: 'gcp-service-account',
        needs: /"private_key/,
        regex: /("private_key(?:_id)?"\s*:\s*")((?:-----BEGIN [^"]*)|[0-9a-f]{40})(")/g,
        replace: (m) => `${m[1]}${placeholder('gcp-service-account')}${m[3]}`,
      },
    ],
    'url-credentials': [
      {
        kind: 'url-credentials',
        needs: /:\/\//,
        // The password is everything up to the last `@` before the host, so `p@ss` is taken whole.
        regex: /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:@/?#"'<>[\]{}]*:)([^\s/?#"'<>[\]{}]+)@(?=[A-Za-z0-9_[-])/g,
        replace: (m) => `${m[1]}${placeholder('url-credentials')}@`,
      },
    ],
    'auth-header': [
      {
        kind: 'auth-header',
        seesPlaceholders: true,
        needs: /authorization/i,
        // Quoted: the whole string. A scheme with a parameter list (Digest, AWS4-HMAC-SHA256: a first token
        // with `=`): the rest of the line. Otherwise one token, with its scheme kept (`-H Authorization:
        // Bearer x -X POST`). The match ends where the credential ends, so one line may hold several.
        regex: /(?<![A-Za-z0-9_])((?:proxy-)?authorization)(["']?[ \t]*[:=][ \t]*)(?:(["'])([ \t]*)((?:[A-Za-z][A-Za-z0-9._-]{0,30}[ \t]+)?)((?:(?!\3)[^\r\n])*)|([A-Za-z][A-Za-z0-9._-]{0,30}[ \t]+)([^\s,;"'=]+=(?=[^\s=,;])[^\r\n]*)|((?:[A-Za-z][A-Za-z0-9._-]{0,30}[ \t]+)?)([^\s,;"']+))/gi,
        replace: (m) => {
          const [, name, sep, quote, lead, quotedScheme, quoted, listScheme, list, tokenScheme, token] = m;
          const scheme = quotedScheme ?? listScheme ?? tokenScheme ?? '';
          const credential = quoted ?? list ?? token ?? '';
          if (!credential.trim() || credential.startsWith(MARK)) return undefined;
          return `${name}${sep}${quote ?? ''}${lead ?? ''}${scheme}${placeholder('auth-header')}`;
        },
      },
    ],
    'slack-webhook': [
      {
        kind: 'slack-webhook',
        needs: /hooks\.slack/,
        regex: /(\bhooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9_/-]{8,})/g,
        replace: (m) => `${m[1]}${placeholder('slack-webhook')}`,
      },
    ],
    'azure-storage': [
      {
        kind: 'azure-storage',
        needs: /AccountKey|SharedAccess|sig=/i,
        regex: /\b((?:AccountKey|SharedAccessKey|SharedAccessSignature)=)([^;\s"'<>]{8,})/gi,
        replace: (m) => `${m[1]}${placeholder('azure-storage')}`,
      },
      {
        kind: 'azure-storage',
        needs: /AccountKey|SharedAccess|sig=/i,
        // A SAS token's signature: `sig=` in a query that also has the service version `sv=YYYY-MM-DD`.
        // A SAS token has about a dozen short parameters; the bounds keep a long line of `sv=` cheap.
        regex: /(\bsv=\d{4}-\d\d-\d\d(?:[&;][^\s"'<>&;#]{0,512}){0,24}?[&;]sig=)([A-Za-z0-9%+/=_-]{16,})|([?&;]sig=)([A-Za-z0-9%+/=_-]{16,})(?=(?:[&;][^\s"'<>&;#]{0,512}){0,24}?[&;]sv=\d{4}-\d\d-\d\d)/g,
        replace: (m) => `${m[1] ?? m[3]}${placeholder('azure-storage')}`,
      },
    ],
    jwt: [
      {
        kind: 'jwt',
        needs: /eyJ/,
        // The signature may be empty: `alg: none` tokens are as much a credential to a lax server.
        regex: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?(?![A-Za-z0-9_-])/g,
        replace: whole('jwt'),
      },
    ],
    'github-token': [
      {
        kind: 'github-token',
        needs: /gh[pousr]_|github_pat_/,
        regex: new RegExp(`\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})${END}`, 'g'),
        replace: whole('github-token'),
      },
    ],
    'gitlab-token': [
      {
        kind: 'gitlab-token',
        needs: /gl[a-z]{1,5}-|GR1348941/,
        regex: new RegExp(`\\b(?:gl(?:pat|dt|rt|ptt|cbt|oas|ft|imt|soat|agent)-[A-Za-z0-9_-]{20,}(?:\\.[A-Za-z0-9_-]+)*|GR1348941[A-Za-z0-9_-]{20,})${END}`, 'g'),
        replace: whole('gitlab-token'),
      },
    ],
    'slack-token': [
      {
        kind: 'slack-token',
        needs: /xox|xapp-/,
        regex: new RegExp(`\\b(?:xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\\d-[A-Za-z0-9-]{10,})${END}`, 'g'),
        replace: whole('slack-token'),
      },
    ],
    'stripe-key': [
      {
        kind: 'stripe-key',
        needs: /k_live_|k_test_|whsec_/,
        regex: new RegExp(`\\b(?:[sr]k_(?:live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9+/=]{20,})${END}`, 'g'),
        replace: whole('stripe-key'),
      },
    ],
    'aws-secret-key': [
      {
        kind: 'aws-secret-key',
        needs: /secret_?access_?key/i,
        regex: /((?:aws_?)?secret_?access_?key["']?[ \t]*[:=][ \t]*["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
        replace: (m) => `${m[1]}${placeholder('aws-secret-key')}`,
      },
      {
        kind: 'aws-secret-key',
        needs: /AKIA|ASIA/,
        // A bare secret next to its access key id (CSV exports, `aws configure` transcripts), either order.
        regex: /\b((?:AKIA|ASIA)[0-9A-Z]{16}["']?[\s,;:|=]{1,10}["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])|(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?=["']?[\s,;:|=]{1,10}["']?(?:AKIA|ASIA)[0-9A-Z]{16}\b)/g,
        replace: (m) => {
          const secret = m[2] ?? m[3]!;
          if (!awsSecretLike(secret)) return undefined;
          return m[1] !== undefined ? `${m[1]}${placeholder('aws-secret-key')}` : placeholder('aws-secret-key');
        },
      },
    ],
    'aws-access-key': [{ kind: 'aws-access-key', needs: /AKIA|ASIA/, regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: whole('aws-access-key') }],
    'gcp-api-key': [{ kind: 'gcp-api-key', needs: /AIza/, regex: new RegExp(`\\bAIza[0-9A-Za-z_-]{35}${END}`, 'g'), replace: whole('gcp-api-key') }],
    'npm-token': [{ kind: 'npm-token', needs: /npm_/, regex: /\bnpm_[A-Za-z0-9]{36}(?![A-Za-z0-9_-])/g, replace: whole('npm-token') }],
    'pypi-token': [{ kind: 'pypi-token', needs: /pypi-/, regex: new RegExp(`\\bpypi-AgE[A-Za-z0-9_-]{50,}${END}`, 'g'), replace: whole('pypi-token') }],
    'api-key': [
      {
        kind: 'api-key',
        needs: /sk-/,
        regex: new RegExp(`\\bsk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\\d\\d-)?[A-Za-z0-9_-]{20,}${END}`, 'g'),
        // `sk-learn-...` is a package, not a key: keys are random, so they have digits and both cases.
        replace: (m) => (/\d/.test(m[0]) && /[A-Z]/.test(m[0]) && /[a-z]/.test(m[0].slice(3)) ? placeholder('api-key') : undefined),
      },
    ],
    bearer: [
      {
        kind: 'bearer',
        needs: /earer|EARER/,
        regex: /\b([Bb]earer|BEARER)[ \t]+([A-Za-z0-9\-._~+/]{8,}=*)/g,
        replace: (m) => (tokenLike(m[2]!) ? `${m[1]} ${placeholder('bearer')}` : undefined),
      },
      {
        kind: 'bearer',
        needs: /asic|ASIC/,
        regex: /\b([Bb]asic|BASIC)[ \t]+([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/g,
        replace: (m) => (isBasicCredential(m[2]!) ? `${m[1]} ${placeholder('bearer')}` : undefined),
      },
    ],
  };
}
