/**
 * A corpus of credentials in the formats their issuers use, one entry per kind the redactor knows, built when
 * the tests run so no token-shaped string sits in the repository: private keys and JWTs are made by Node's
 * crypto (OpenSSL) with throwaway keys; tokens are the documented prefix and length with characters from a
 * seeded generator. None of them was ever issued to anyone.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';

export interface SecretSample {
  kind: string;
  /** What must not survive redaction. */
  secret: string;
  /** The secret as it appears in a file (a line, a header, a URL, a JSON object). */
  text: string;
}

/** A small seeded generator (mulberry32), so the corpus is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';

export function randomToken(random: () => number, length: number, alphabet = ALNUM): string {
  let s = '';
  // Random tokens have digits and both cases; make sure short ones do too, as real ones almost always do.
  while (s.length < length) s += alphabet[Math.floor(random() * alphabet.length)];
  if (alphabet === ALNUM && length >= 3) s = `A7${s.slice(2, -1)}q`;
  return s;
}

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

export function jwt(payload: object, key: string | undefined): string {
  const header = b64url(JSON.stringify(key ? { alg: 'HS256', typ: 'JWT' } : { alg: 'none', typ: 'JWT' }));
  const body = b64url(JSON.stringify(payload));
  const signature = key ? createHmac('sha256', key).update(`${header}.${body}`).digest('base64url') : '';
  return `${header}.${body}.${signature}`;
}

/** Real PEM private keys from OpenSSL (through Node): the shapes a service's config or a log can hold. */
export function pemKeys(): { label: string; pem: string }[] {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ed = generateKeyPairSync('ed25519');
  return [
    { label: 'RSA PKCS#1', pem: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string },
    { label: 'PKCS#8', pem: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string },
    { label: 'EC SEC1', pem: ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string },
    { label: 'Ed25519', pem: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string },
    { label: 'encrypted PKCS#8', pem: rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'not-a-real-passphrase' }) as string },
  ];
}

/** The base64 body of a PEM block: what must not leak (the header line alone is harmless). */
export const pemBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');

export function secretCorpus(seed = 17): SecretSample[] {
  const r = rng(seed);
  const tok = (n: number, alphabet?: string) => randomToken(r, n, alphabet);
  const samples: SecretSample[] = [];
  const add = (kind: string, secret: string, text: string) => samples.push({ kind, secret, text });

  const keys = pemKeys();
  for (const { pem } of keys) add('private-key', pemBody(pem), `loaded key:\n${pem}`);
  const cut = keys[1]!.pem.slice(0, 400);
  add('private-key', pemBody(cut).slice(0, 200), `config dump (truncated): ${cut}`);
  add('private-key', pemBody(keys[2]!.pem), `{"tls_material": ${JSON.stringify(keys[2]!.pem)}}`);
  const openssh = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACB${tok(43, B64)}\n-----END OPENSSH PRIVATE KEY-----\n`;
  add('private-key', pemBody(openssh), openssh);

  const keyId = tok(40, HEX);
  const serviceAccount = {
    type: 'service_account',
    project_id: 'demo-project',
    private_key_id: keyId,
    private_key: keys[1]!.pem,
    client_email: 'deployer@demo-project.iam.gserviceaccount.com',
    client_id: '104235923764432987621',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
  add('gcp-service-account', pemBody(keys[1]!.pem), JSON.stringify(serviceAccount, null, 2));
  add('gcp-service-account', keyId, JSON.stringify(serviceAccount));

  for (const [url, secret] of [
    [`mysql://root:${'S3cr3t'}-pw@localhost:3306/app`, 'S3cr3t-pw'],
    ['redis://:p4ss-w0rd@cache:6379/0', 'p4ss-w0rd'],
    ['postgresql://u:pg-Pass.99@10.0.0.5:5432/orders', 'pg-Pass.99'],
    ['postgres://svc:p@ss:word@db.internal.example.com/app', 'p@ss:word'],
    ['amqp://guest:rabbit-Pw7@rabbitmq/vhost', 'rabbit-Pw7'],
    ['mongodb+srv://admin:Mongo%40Pw1@cluster0.example.net/db?retryWrites=true', 'Mongo%40Pw1'],
    ['https://deploy:hunter2-Long@registry.internal:5000/v2/', 'hunter2-Long'],
    ['jdbc:mysql://app:jdbc-Pw-42@mysql-primary/app', 'jdbc-Pw-42'],
  ] as const) {
    add('url-credentials', secret, `connecting to ${url} (attempt 2)`);
  }

  const bearer = `${tok(24)}.${tok(12)}`;
  const basic = Buffer.from(`ada:${tok(14)}`).toString('base64');
  add('auth-header', bearer, `authorization: bearer ${bearer}`);
  add('auth-header', bearer, `AUTHORIZATION: Bearer ${bearer}`);
  add('auth-header', basic, `Authorization: basic ${basic}`);
  add('auth-header', basic, `Proxy-Authorization: Basic ${basic}`);
  const plainToken = tok(32, HEX);
  add('auth-header', plainToken, `curl -H "Authorization: token ${plainToken}" https://api.example.com`);
  add('auth-header', plainToken, `{"headers": {"authorization": "Token ${plainToken}"}}`);
  const signature = tok(64, HEX);
  add('auth-header', signature, `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261129/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`);
  const digest = tok(32, HEX);
  add('auth-header', digest, `Authorization: Digest username="ada", realm="api", nonce="abc", uri="/", response="${digest}"`);
  add('auth-header', plainToken, `headers={'Authorization': 'ApiKey ${plainToken}', 'Host': 'api'}`);

  const webhook = `T${tok(8, UPPER_DIGITS)}/B${tok(10, UPPER_DIGITS)}/${tok(24)}`;
  add('slack-webhook', webhook.split('/')[2]!, `posting alert to https://hooks.slack.com/services/${webhook}`);
  add('slack-webhook', webhook.split('/')[2]!, `SLACK_URL=https://hooks.slack.com/workflows/${webhook}`);

  const accountKey = `${tok(86, B64)}==`;
  add('azure-storage', accountKey, `DefaultEndpointsProtocol=https;AccountName=demostore;AccountKey=${accountKey};EndpointSuffix=core.windows.net`);
  const busKey = `${tok(43, B64)}=`;
  add('azure-storage', busKey, `Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${busKey}`);
  const sig = encodeURIComponent(`${tok(43, B64)}=`);
  add('azure-storage', sig, `GET https://demostore.blob.core.windows.net/logs/app.log?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-01T00:00:00Z&st=2026-11-29T00:00:00Z&spr=https&sig=${sig} 200`);
  add('azure-storage', sig, `https://demostore.blob.core.windows.net/logs?sig=${sig}&sv=2022-11-02&sr=c&sp=rl`);

  const signed = jwt({ sub: 'ada', role: 'admin', iat: 1764410400 }, tok(32));
  const unsigned = jwt({ sub: 'admin', admin: true }, undefined);
  add('jwt', signed.split('.')[2]!, `session cookie ${signed}`);
  add('jwt', unsigned.split('.')[1]!, `accepted unsigned token ${unsigned} from client`);

  for (const p of ['ghp', 'gho', 'ghu', 'ghs', 'ghr']) {
    const t = `${p}_${tok(36)}`;
    add('github-token', t, `git push failed for token ${t}`);
  }
  const pat = `github_pat_${tok(22)}_${tok(59)}`;
  add('github-token', pat, `GH_PAT=${pat}`);

  const glpat = `glpat-${tok(20)}`;
  add('gitlab-token', glpat, `CI_TOKEN=${glpat}`);
  const glrt = `glrt-${tok(20)}`;
  add('gitlab-token', glrt, `runner registered with ${glrt}`);

  for (const p of ['xoxb', 'xoxp', 'xoxa', 'xoxr']) {
    const t = `${p}-${tok(12, '0123456789')}-${tok(13, '0123456789')}-${tok(24)}`;
    add('slack-token', t, `slack client init ${t}`);
  }
  const xapp = `xapp-1-A${tok(10, UPPER_DIGITS)}-${tok(13, '0123456789')}-${tok(64, HEX)}`;
  add('slack-token', xapp, `socket mode with ${xapp}`);

  for (const p of ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_']) {
    const t = `${p}${tok(24)}`;
    add('stripe-key', t, `stripe.api_key set to ${t}`);
  }
  const whsec = `whsec_${tok(32)}`;
  add('stripe-key', whsec, `endpoint secret ${whsec}`);

  const accessKey = `AKIA${tok(16, UPPER_DIGITS)}`;
  const secretKey = `${tok(20, B64)}${tok(20)}`;
  add('aws-secret-key', secretKey, `aws_secret_access_key = ${secretKey}`);
  add('aws-secret-key', secretKey, `export AWS_SECRET_ACCESS_KEY=${secretKey}`);
  add('aws-secret-key', secretKey, `{"AccessKeyId": "${accessKey}", "SecretAccessKey": "${secretKey}"}`);
  add('aws-secret-key', secretKey, `User name,Access key ID,Secret access key\ndeployer,${accessKey},${secretKey}`);
  add('aws-secret-key', secretKey, `keys ${secretKey} ${accessKey}`);
  add('aws-access-key', accessKey, `boto3 session with access key ${accessKey}`);
  const sessionKey = `ASIA${tok(16, UPPER_DIGITS)}`;
  add('aws-access-key', sessionKey, `assumed role, key id ${sessionKey}`);

  const google = `AIza${tok(35)}`;
  add('gcp-api-key', google, `https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${google}`);
  const npm = `npm_${tok(36)}`;
  add('npm-token', npm, `//registry.npmjs.org/:_authToken=${npm}`);
  const pypi = `pypi-AgEIcHlwaS5vcmc${tok(70, `${ALNUM}_-`)}`;
  add('pypi-token', pypi, `twine upload -u __token__ -p ${pypi} dist/*`);
  const openai = `sk-proj-${tok(48)}`;
  add('api-key', openai, `OPENAI key ${openai}`);
  const anthropic = `sk-ant-api03-${tok(80, `${ALNUM}_-`)}`;
  add('api-key', anthropic, `model client ${anthropic}`);

  const loose = `${tok(30)}`;
  add('bearer', loose, `retrying request with Bearer ${loose}`);
  add('bearer', basic, `proxy credentials basic ${basic}`);
  return samples;
}
