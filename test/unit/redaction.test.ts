import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRedactor, isCardNumber, luhnValid, redactContent, redactJson, redactText, RedactionConfigError } from '../../src/core/redaction/redact';
import { isSensitiveName } from '../../src/core/redaction/fields';

test('known secrets in text are replaced and counted by kind', () => {
  const text = [
    'POST /login password=hunter2 user=ada',
    'Authorization: Bearer abcdef0123456789.xyz',
    'auth Basic YWRhOmh1bnRlcjI=',
    'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'keys AKIAIOSFODNN7EXAMPLE sk_live_4eC39HqLyjWDarjtT1zdp7dc ghp_0123456789abcdefghijABCDEFGHIJ012345',
    'mail ada.lovelace+ops@example.co.uk card 4111 1111 1111 1111 ssn 123-45-6789',
    '{"api_key": "k-123", "token_count": 42}',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
  ].join('\n');
  const r = redactText(text);
  for (const secret of ['hunter2', 'abcdef0123456789', 'YWRhOmh1bnRlcjI', 'eyJhbGci', 'AKIAIOSFODNN7EXAMPLE', 'sk_live_', 'ghp_', 'ada.lovelace', '4111', '123-45-6789', 'k-123', 'MIIEpAIBAAKCAQEA']) {
    assert.ok(!r.value.includes(secret), `${secret} remains in:\n${r.value}`);
  }
  assert.ok(r.value.includes('user=ada') && r.value.includes('"token_count": 42'), 'harmless values stay');
  assert.deepEqual(r.byKind, { 'private-key': 1, 'auth-header': 1, bearer: 1, jwt: 1, 'aws-access-key': 1, 'stripe-key': 1, 'github-token': 1, field: 2, email: 1, card: 1, ssn: 1 });
  assert.equal(r.replaced, 12);
  assert.equal(redactText(r.value).replaced, 0, 'idempotent');
});

test('card numbers need a known issuer prefix and a valid Luhn digit', () => {
  assert.ok(luhnValid('79927398713'));
  assert.ok(!luhnValid('79927398710'));
  assert.ok(isCardNumber('4111111111111111') && isCardNumber('378282246310005') && isCardNumber('5555555555554444'));
  assert.ok(!isCardNumber('4111111111111112'), 'bad check digit');
  assert.ok(!isCardNumber('1732838400000'), 'an epoch in ms passes no issuer prefix');
  assert.equal(redactText('took 1732838400000 ms, order 4111111111111112').replaced, 0);
  assert.equal(redactText('order 7 4111 1111 1111 1111 paid').value, 'order 7 [REDACTED:card] paid');
});

test('JSON: sensitive keys, attribute pairs and strings; structure kept', () => {
  const input = {
    user: 'ada',
    password: 'hunter2',
    nested: [{ note: 'mail me at ada@example.com' }],
    attributes: [
      { key: 'http.request.header.authorization', value: { stringValue: 'Bearer abc' } },
      { key: 'http.method', value: { stringValue: 'POST' } },
    ],
    headers: [{ name: 'Cookie', value: 'sid=1' }],
    card: 4111111111111111,
    empty_token: '',
    is_token: true,
  };
  const r = redactJson(input);
  assert.deepEqual(r.value, {
    user: 'ada',
    password: '[REDACTED:field]',
    nested: [{ note: 'mail me at [REDACTED:email]' }],
    attributes: [
      { key: 'http.request.header.authorization', value: { stringValue: '[REDACTED:auth-header]' } },
      { key: 'http.method', value: { stringValue: 'POST' } },
    ],
    headers: [{ name: 'Cookie', value: '[REDACTED:field]' }],
    card: '[REDACTED:field]',
    empty_token: '',
    is_token: true,
  });
  assert.equal(r.replaced, 5);
});

test('configured field names and patterns; invalid patterns are reported, not thrown later', () => {
  const r = createRedactor({ fieldNames: ['member_no'], patterns: [{ name: 'order-ref', pattern: 'ORD-\\d{6}' }, { name: 'pin', pattern: 'pin code (\\d{4})' }] });
  const out = r.redactText('member_no=77 ORD-123456 pin code 1234');
  assert.equal(out.value, 'member_no=[REDACTED:field] [REDACTED:order-ref] pin code [REDACTED:pin]');
  assert.equal(r.redactJson({ memberNo: 5 }).value.memberNo, '[REDACTED:field]');
  assert.throws(() => createRedactor({ patterns: [{ name: 'bad', pattern: '(' }] }), RedactionConfigError);
  assert.throws(() => createRedactor({ patterns: [{ name: 'all', pattern: '.*' }] }), /empty string/);
  assert.equal(createRedactor({ disable: ['email'] }).redactText('a@b.io').replaced, 0);
});

test('redactContent: JSON, JSON Lines (mixed with text lines) and plain text', () => {
  const jsonl = '{"msg":"login","password":"p1"}\nplain token=abc\n{"msg":"x@y.io"}';
  const r = redactContent(jsonl, 'app.jsonl');
  assert.equal(r.format, 'jsonl');
  assert.equal(r.value, '{"msg":"login","password":"[REDACTED:field]"}\nplain token=[REDACTED:field]\n{"msg":"[REDACTED:email]"}');
  assert.equal(r.replaced, 3);
  const j = redactContent('{"a": {"secret": "s"}}', 'trace.json');
  assert.equal(j.format, 'json');
  assert.equal(j.value, '{\n  "a": {\n    "secret": "[REDACTED:field]"\n  }\n}\n');
  assert.equal(redactContent('{broken', 'x.json').value, '{broken');
});

test('sensitive names: what counts and what does not', () => {
  for (const n of ['password', 'db_password', 'apiKey', 'X-Api-Key', 'AUTH_TOKEN', 'authorization', 'client_secret', 'ssn', 'card_number', 'creditCard', 'cvv', 'private_key', 'session_id', 'Cookie', 'auth_header']) assert.ok(isSensitiveName(n), n);
  for (const n of ['token_count', 'max_tokens', 'tokens', 'password_hash', 'card_type', 'secret_name', 'author', 'session_count', 'cardinality', 'user_id', 'is_token']) assert.ok(!isSensitiveName(n), n);
});

// ---- properties

const filler = fc.stringMatching(/^[a-z ,.:]{0,30}$/);
const issuerPrefix = fc.constantFrom('4', '51', '55', '2221', '34', '37', '6011', '65', '3530', '62');

/** A card number with a valid Luhn check digit (or, with `broken`, a wrong one). */
const card = (broken: boolean) =>
  fc.tuple(issuerPrefix, fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 20, maxLength: 20 })).map(([prefix, rest]) => {
    const length = prefix === '34' || prefix === '37' ? 15 : 16;
    const body = (prefix + rest.join('')).slice(0, length - 1);
    for (let d = 0; d < 10; d++) if (luhnValid(body + d)) return body + String(broken ? (d + 1) % 10 : d);
    throw new Error('unreachable');
  });
const grouped = (digits: string, sep: string) => (sep === '' ? digits : digits.replace(/(\d{4})(?=\d)/g, `$1${sep}`));

test('property: any Luhn-valid card, plain or grouped, never survives', () => {
  fc.assert(
    fc.property(filler, filler, card(false), fc.constantFrom('', ' ', '-'), (a, b, digits, sep) => {
      const r = redactText(`${a} ${grouped(digits, sep)} ${b}`);
      assert.ok(!r.value.replace(/[ -]/g, '').includes(digits), r.value);
      assert.ok(r.byKind.card === 1);
    }),
    { numRuns: 300 },
  );
});

test('property: a card number with a wrong check digit is left alone', () => {
  fc.assert(
    fc.property(filler, card(true), (a, digits) => {
      assert.equal(redactText(`${a} ${digits} `).byKind.card, undefined);
    }),
    { numRuns: 300 },
  );
});

const token = fc.stringMatching(/^[A-Za-z0-9]{12,40}$/);
const secretText = fc.oneof(
  token.map((t) => ({ secret: t, text: `password=${t}` })),
  token.map((t) => ({ secret: t, text: `Authorization: Bearer ${t}` })),
  token.map((t) => ({ secret: t, text: `{"api_key": "${t}"}` })),
  fc.tuple(fc.stringMatching(/^[a-z]{3,10}$/), fc.stringMatching(/^[a-z]{3,10}$/)).map(([u, d]) => ({ secret: `${u}@${d}.com`, text: `${u}@${d}.com` })),
);

test('property: secrets in arbitrary surroundings are removed, and redacting again changes nothing', () => {
  fc.assert(
    fc.property(filler, filler, secretText, (a, b, { secret, text }) => {
      const r = redactText(`${a}\n${text}\n${b}`);
      assert.ok(!r.value.includes(secret), r.value);
      assert.ok(r.replaced >= 1);
      const again = redactText(r.value);
      assert.equal(again.replaced, 0);
      assert.equal(again.value, r.value);
    }),
    { numRuns: 400 },
  );
});

test('property: arbitrary text and JSON never throw; text without digits, @ or secrets keywords is unchanged', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      redactText(s);
      redactContent(s, 'x.log');
    }),
    { numRuns: 500 },
  );
  fc.assert(fc.property(fc.jsonValue(), (v) => void redactJson(v)), { numRuns: 300 });
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z .,!?\n]{0,200}$/), (s) => {
      const r = redactText(s);
      assert.equal(r.value, s);
      assert.equal(r.replaced, 0);
    }),
    { numRuns: 300 },
  );
});
