import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { createRedactor, DETECTORS, redactContent, redactJson, redactText, SECRET_KINDS } from '../../src/core/redaction/redact';
import { jwt, pemKeys, pemBody, randomToken, secretCorpus } from './secretCorpus';
import { repoRoot, tempDir } from './helpers';

const corpus = secretCorpus();

/** Every 8-character piece of a secret: none may survive, or part of the secret grew back. */
function pieces(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i += 4) out.push(secret.slice(i, i + 8));
  return out.length ? out : [secret];
}

function assertGone(output: string, secret: string, where: string): void {
  for (const p of pieces(secret)) assert.ok(!output.includes(p), `${where}: "${p}" of the secret survived in:\n${output}`);
}

test('corpus: every kind of secret is in the corpus, and every credential detector has a sample', () => {
  const kinds = new Set(corpus.map((s) => s.kind));
  for (const kind of Object.keys(SECRET_KINDS)) assert.ok(kinds.has(kind), `no sample of ${kind}`);
  assert.deepEqual([...DETECTORS].slice(-4), ['field', 'email', 'card', 'ssn']);
});

test('the guide lists every kind the redactor reports, in the order the detectors run', () => {
  const guide = readFileSync(path.join(repoRoot, 'docs', 'guide.md'), 'utf8');
  const section = guide.slice(guide.indexOf('| Kind | What it finds |'));
  const table = [...section.slice(0, section.indexOf('\n\n')).matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(table, [...DETECTORS]);
});

test('corpus: each sample is redacted completely, counted under its own kind, and redacting again changes nothing', () => {
  for (const s of corpus) {
    const r = redactText(s.text);
    assertGone(r.value, s.secret, `${s.kind} in ${JSON.stringify(s.text.slice(0, 60))}`);
    assert.ok((r.byKind[s.kind] ?? 0) >= 1, `${s.kind}: counted as ${JSON.stringify(r.byKind)} for ${s.text.slice(0, 80)}\n→ ${r.value}`);
    assert.equal(r.replaced, Object.values(r.byKind).reduce((a, b) => a + b, 0));
    const again = redactText(r.value);
    assert.equal(again.value, r.value, `${s.kind}: not idempotent`);
    assert.equal(again.replaced, 0);
  }
});

test('corpus: the same secrets inside JSON Lines and JSON documents', () => {
  const lines = corpus.map((s) => JSON.stringify({ level: 'INFO', message: s.text }));
  const jsonl = redactContent(lines.join('\n'), 'app.jsonl');
  assert.equal(jsonl.format, 'jsonl');
  for (const s of corpus) assertGone(jsonl.value, s.secret, `${s.kind} in JSON Lines`);
  const doc = redactContent(JSON.stringify({ events: corpus.map((s) => ({ text: s.text })) }), 'events.json');
  assert.equal(doc.format, 'json');
  for (const s of corpus) assertGone(doc.value, s.secret, `${s.kind} in a JSON document`);
  for (const kind of Object.keys(SECRET_KINDS)) assert.ok((jsonl.byKind[kind] ?? 0) >= 1, `${kind} not counted in JSON Lines: ${JSON.stringify(jsonl.byKind)}`);
});

test('iwb redact --json reports the count of every kind, and --check finds each kind alone', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'all.log'), corpus.map((s) => s.text).join('\n'));
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: () => undefined, cwd: dir };
  assert.equal(await main(['redact', 'all.log', '--json'], io), 0);
  const json = JSON.parse(out.join('\n')) as { replaced: number; byKind: Record<string, number>; content: string };
  for (const kind of Object.keys(SECRET_KINDS)) assert.ok((json.byKind[kind] ?? 0) >= 1, `${kind} missing from ${JSON.stringify(json.byKind)}`);
  assert.equal(json.replaced, Object.values(json.byKind).reduce((a, b) => a + b, 0));
  for (const s of corpus) assertGone(json.content, s.secret, s.kind);
  for (const s of corpus.filter((x, i, all) => all.findIndex((y) => y.kind === x.kind) === i)) {
    writeFileSync(path.join(dir, 'one.log'), s.text);
    out.length = 0;
    assert.equal(await main(['redact', 'one.log', '--check', '--json'], io), 1, s.kind);
    assert.ok(JSON.parse(out.join('')).byKind[s.kind] >= 1, s.kind);
  }
});

test('what the issue found: dotless hosts, lower-case schemes, Slack webhooks, alg:none, a bare AWS secret', () => {
  assert.equal(redactText('mysql://root:secret@localhost').value, 'mysql://root:[REDACTED:url-credentials]@localhost');
  assert.equal(redactText('redis://:pass@cache').value, 'redis://:[REDACTED:url-credentials]@cache');
  assert.equal(redactText('postgresql://u:p@10.0.0.5').value, 'postgresql://u:[REDACTED:url-credentials]@10.0.0.5');
  assert.equal(redactText('authorization: bearer abc.def-123').value, 'authorization: bearer [REDACTED:auth-header]');
  assert.equal(redactText('authorization: basic YWRhOmh1bnRlcjI=').value, 'authorization: basic [REDACTED:auth-header]');
  assert.equal(redactText('hook https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX ok').value, 'hook https://hooks.slack.com/services/[REDACTED:slack-webhook] ok');
  const none = jwt({ sub: 'admin' }, undefined);
  assert.ok(none.endsWith('.'), 'an unsigned JWT ends with an empty signature');
  assert.equal(redactText(`token ${none} accepted`).value, 'token [REDACTED:jwt] accepted');
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  assert.equal(redactText(`AKIAIOSFODNN7EXAMPLE ${secret}`).value, '[REDACTED:aws-access-key] [REDACTED:aws-secret-key]');
  assert.equal(redactText(`aws_secret_access_key=${secret}`).value, 'aws_secret_access_key=[REDACTED:aws-secret-key]');
});

test('the email pattern no longer takes a URL password with the host, even with URL credentials turned off', () => {
  const url = 'postgres://app:s3cret@db.example.com:5432/orders';
  assert.deepEqual(redactText(url).byKind, { 'url-credentials': 1 });
  assert.equal(redactText(url).value, 'postgres://app:[REDACTED:url-credentials]@db.example.com:5432/orders');
  const without = createRedactor({ disable: ['url-credentials'] }).redactText(url);
  assert.equal(without.value, url, 'an address is not an email because it follows a scheme');
  assert.equal(redactText('mail ada@example.com or mailto:ops@example.com').byKind.email, 2);
});

test('look-alikes are left alone: prose, package names, digests, public ids', () => {
  for (const text of [
    'Bearer authentication is used; the bearer of this message',
    'a basic understanding of the system',
    'pip install scikit-learn; sk-learn-is-a-common-misspelling-of-it',
    'commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 and sha a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
    'http://localhost:8080/path?x=1 and https://example.com/@user/status',
    'ssh://git@github.com/org/repo.git',
    'authorization failed for user ada',
    'SharedAccessKeyName=RootManageSharedAccessKey',
    'pk_live_51HxYzAbCdEfGhIjKlMnOp is a publishable key',
  ]) {
    assert.deepEqual(redactText(text).byKind, {}, text);
  }
});

test('JSON: fields named for a credential are counted under it; a GCP service account key by its type', () => {
  const [key] = pemKeys();
  const r = redactJson({
    type: 'service_account',
    private_key_id: 'f'.repeat(40),
    private_key: key!.pem,
    client_email: 'svc@demo.iam.gserviceaccount.com',
    headers: { Authorization: 'Bearer x', 'X-Trace': 'abc' },
    aws: { SecretAccessKey: 'short-test-value' },
    token: `ghp_${randomToken(Math.random, 36)}`,
    attributes: [{ key: 'http.request.header.authorization', value: { stringValue: 'Basic abc' } }],
  });
  assert.deepEqual(r.byKind, { 'gcp-service-account': 2, email: 1, 'auth-header': 2, 'aws-secret-key': 1, 'github-token': 1 });
  assert.ok(!JSON.stringify(r.value).includes(pemBody(key!.pem).slice(0, 20)));
  assert.equal((r.value as { headers: { 'X-Trace': string } }).headers['X-Trace'], 'abc');
});

test('JSON nested deeper than the walk still gets redacted (as text), never copied as is', () => {
  let deep: unknown = { password: 'hunter2-deep', note: 'mysql://root:deep-pw@localhost' };
  for (let i = 0; i < 300; i++) deep = { child: deep };
  const out = JSON.stringify(redactJson(deep).value);
  assert.ok(!out.includes('hunter2-deep') && !out.includes('deep-pw'), out.slice(-200));
});

// ---- properties

const filler = fc.stringMatching(/^[a-z .,;()\n]{0,30}$/);
const sample = fc.constantFrom(...corpus);

test('property: a secret of any kind in any surroundings is removed, counted, and stays removed', () => {
  fc.assert(
    fc.property(filler, sample, filler, (a, s, b) => {
      const r = redactText(`${a} ${s.text} ${b}`);
      assertGone(r.value, s.secret, s.kind);
      assert.ok((r.byKind[s.kind] ?? 0) >= 1, `${s.kind} not counted: ${JSON.stringify(r.byKind)}`);
      const again = redactText(r.value);
      assert.equal(again.value, r.value);
      assert.equal(again.replaced, 0);
    }),
    { numRuns: 400 },
  );
});

/** Pieces of every format, so the generator reaches near-misses, overlaps and secrets touching each other. */
const FRAGMENTS = [
  'Authorization', 'authorization', 'Proxy-', ': ', '=', '"', "'", ' ', '\n', ',', ';', '&', '?', '/', '@', ':', '//', '://',
  'Bearer ', 'basic ', 'token ', 'YWRhOmh1bnRlcjI=', 'mysql', 'redis', 'https', 'root', 'user', 'pass', 'localhost', 'db.example.com', '10.0.0.5',
  'eyJhbGciOiJub25lIn0', 'eyJzdWIiOiJhZG1pbiJ9', '.', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key',
  'hooks.slack.com/services/', 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'sv=2022-11-02', 'sig=', 'AccountKey=', 'abcDEF0123456789abcdEFGH',
  'ghp_', 'glpat-', 'xoxb-', 'sk_live_', 'whsec_', 'npm_', 'pypi-AgE', 'AIza', 'sk-proj-', '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', '\\n', 'password', 'api_key', 'ada@example.com', '4111 1111 1111 1111', '123-45-6789',
  '[REDACTED:field]', '[REDACTED', ']', '"private_key": "', 'private_key_id', '0123456789abcdef0123456789abcdef01234567',
];
const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((xs) => xs.join(''));

test('property: redaction is idempotent on anything built from the pieces of secrets', () => {
  fc.assert(
    fc.property(soup, (text) => {
      const once = redactText(text);
      const twice = redactText(once.value);
      assert.equal(twice.value, once.value, `not idempotent:\n${JSON.stringify(text)}\n→ ${JSON.stringify(once.value)}\n→ ${JSON.stringify(twice.value)}`);
      assert.equal(twice.replaced, 0);
      assert.equal(once.replaced, Object.values(once.byKind).reduce((a, b) => a + b, 0));
    }),
    { numRuns: 1500 },
  );
});

test('property: redaction never makes a secret longer or puts one back: every token of the output was in the input or is a placeholder', () => {
  fc.assert(
    fc.property(soup, (text) => {
      const out = redactText(text).value;
      for (const word of out.replace(/\[REDACTED:[^\]\s]+\]/g, ' ').split(/[^A-Za-z0-9_+/=-]+/)) {
        if (word.length >= 4) assert.ok(text.includes(word), `"${word}" is in the output but not the input`);
      }
    }),
    { numRuns: 800 },
  );
});
