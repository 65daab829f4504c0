// The demo workspace that `npm start` opens: a copy of demo/ that is its own git repository, with a scripted
// history of the recommendation service, so "what changed?" has an answer (Suspect Commits, releases).
//
//   node scripts/demo-workspace.mjs DEST      writes DEST (which must not exist) and prints it
//
// The history (dates UTC, authors fictional), ending in exactly the files of demo/:
//   2026-10-05  Ana Lima     Recommendation service: features, catalogue and dot-product ranking  v1.2.0, 2026.10.05
//   2026-10-22  Ben Carter   Let clients pin items ahead of the candidates (service/server.py)
//   2026-11-05  Ana Lima     Release 1.3.0                                                          v1.3.0, 2026.11.06
//   2026-11-12  Chen Wei     Reject feature vectors of the wrong length (service/features.py: the top error cluster's line)
//   2026-11-17  Dana Novak   Penalise near-duplicate recommendations with a pairwise diversity score (the quadratic scoring)
//   2026-11-18  Ben Carter   Log how many comparisons the diversity penalty makes (one line of pairwise_diversity)
//   2026-11-19  Ana Lima     Release 1.4.0 (deployed 2026-11-20 06:00)                              v1.4.0, 2026.11.20
//   2026-11-21  Sam Osei     INC-2026-001: incident notes, evidence and production logs
//   2026-11-27  Ben Carter   Fall back to the candidates when a pinned item is gone (behind CATALOGUE_FALLBACK)  2026.11.29
//   2026-11-30  Sam Osei     Logs across the 2026.11.29 deploy (logs/deploy.jsonl, scripts/deploy_logs.py)
// Each release is tagged twice: by the service's version (what its traces say: service.version) and by its
// deploy (what its logs say: version). Earlier versions of a file are the current file with the later change
// taken out; if demo/ changes so that a step no longer applies, this script stops and says which.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = join(ROOT, 'demo');

const MODEL_V1 = `"""Scores candidate items against a user's feature vector."""

import logging

from .features import normalise
from .telemetry import traced

logger = logging.getLogger(__name__)


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


@traced
def rank(features, items, top_k=10):
    user = normalise(features)
    scored = [(dot(user, item["embedding"]), item) for item in items]
    scored.sort(key=lambda pair: pair[0], reverse=True)
    return [{"id": item["id"], "name": item["name"], "score": round(score, 4)} for score, item in scored[:top_k]]
`;

/** `text` with `from` replaced by `to`, or an error naming the step that no longer fits demo/. */
function edit(text, from, to, step) {
  if (!text.includes(from)) throw new Error(`demo history step "${step}": the demo file no longer contains ${JSON.stringify(from.slice(0, 80))}; update scripts/demo-workspace.mjs`);
  return text.replace(from, to);
}

export function makeDemoWorkspace(dest) {
  if (existsSync(dest)) throw new Error(`${dest} exists; remove it first`);
  cpSync(DEMO, dest, { recursive: true, filter: (src) => !/(^|\/)(__pycache__|\.git)(\/|$)|\.pyc$/.test(relative(DEMO, src)) });
  const read = (file) => readFileSync(join(DEMO, file), 'utf8');
  const write = (file, text) => writeFileSync(join(dest, file), text);
  // Nobody's git config: no signing, no hooks, a fixed default branch.
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
  const git = (args, extra = {}) => execFileSync('git', args, { cwd: dest, env: { ...env, ...extra }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const people = {
    ana: ['Ana Lima', 'ana.lima@recommend.example'],
    ben: ['Ben Carter', 'ben.carter@recommend.example'],
    chen: ['Chen Wei', 'chen.wei@recommend.example'],
    dana: ['Dana Novak', 'dana.novak@recommend.example'],
    sam: ['Sam Osei', 'sam.osei@recommend.example'],
  };
  const who = (person, date) => {
    const [name, email] = people[person];
    return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_DATE: date };
  };
  const commit = (person, date, message, paths = ['-A']) => {
    git(['add', ...paths]);
    git(['commit', '-q', '--no-verify', '-m', message], who(person, date));
  };
  const tag = (name, person, date, message) => git(['tag', '-a', name, '-m', message], who(person, date));

  const model = read('service/model.py');
  const features = read('service/features.py');
  const server = read('service/server.py');
  const jsonlog = read('service/jsonlog.py');
  const telemetry = read('service/telemetry.py');
  const catalogue = read('service/catalogue.py');
  const versions = (deploy, version) => {
    write('service/jsonlog.py', edit(jsonlog, '"SERVICE_RELEASE", "2026.11.20"', `"SERVICE_RELEASE", "${deploy}"`, `release ${version}`));
    write('service/telemetry.py', edit(telemetry, '"SERVICE_VERSION", "1.4.0"', `"SERVICE_VERSION", "${version}"`, `release ${version}`));
  };
  const modelQuadratic = edit(model, '    logger.info("pairwise diversity over %d candidates: %d comparisons", len(items), len(items) * (len(items) - 1))\n', '', 'log the comparisons');
  const featuresV1 = edit(features, '    if len(values) != FEATURE_COUNT:\n        raise ValueError(f"Invalid input shape: expected {FEATURE_COUNT} features, got {len(values)}")\n', '', 'reject wrong lengths');
  const serverV1 = edit(
    server,
    '    pinned = list(payload.get("pinned", []))\n    telemetry.set_attributes(**{"recommend.pinned": bool(pinned), "app.client": str(payload.get("client", "web"))[:40]})\n    # Items the client pinned (e.g. from its cache) come first; an id that no longer exists breaks load_items.\n    items = catalogue.load_items(pinned + catalogue.candidate_ids(user_id))\n',
    '    items = catalogue.load_items(catalogue.candidate_ids(user_id))\n',
    'pinned items',
  );

  const catalogueV1 = edit(
    edit(
      edit(catalogue, 'import os\n', '', 'catalogue fallback'),
      '# Shipped with release 2026.11.29 behind a flag: a pinned id that is gone no longer fails the request.\nFALLBACK_MISSING = os.environ.get("CATALOGUE_FALLBACK") == "1"\n',
      '',
      'catalogue fallback',
    ),
    '        if row is None and FALLBACK_MISSING:\n            logger.warning("item %s is not in the catalogue, falling back to the candidate list", item_id)\n            continue\n',
    '',
    'catalogue fallback',
  );

  git(['init', '-q', '-b', 'main']);
  // The incident and the production logs arrive last; everything else is the service and its tooling.
  rmSync(join(dest, '.incidents'), { recursive: true, force: true });
  rmSync(join(dest, 'logs'), { recursive: true, force: true });
  rmSync(join(dest, 'scripts', 'deploy_logs.py'), { force: true });
  write('service/catalogue.py', catalogueV1);
  write('service/model.py', MODEL_V1);
  write('service/features.py', featuresV1);
  write('service/server.py', serverV1);
  versions('2026.10.05', '1.2.0');
  commit('ana', '2026-10-05T09:00:00Z', 'Recommendation service: features, catalogue and dot-product ranking');
  tag('v1.2.0', 'ana', '2026-10-05T09:10:00Z', 'Release 1.2.0');
  tag('2026.10.05', 'ana', '2026-10-06T06:00:00Z', 'Deployed 1.2.0 to production');

  write('service/server.py', server);
  commit('ben', '2026-10-22T14:30:00Z', 'Let clients pin items ahead of the candidates');
  versions('2026.11.06', '1.3.0');
  commit('ana', '2026-11-05T10:00:00Z', 'Release 1.3.0');
  tag('v1.3.0', 'ana', '2026-11-05T10:10:00Z', 'Release 1.3.0');
  tag('2026.11.06', 'ana', '2026-11-06T06:00:00Z', 'Deployed 1.3.0 to production');

  write('service/features.py', features);
  commit('chen', '2026-11-12T11:30:00Z', 'Reject feature vectors of the wrong length');
  write('service/model.py', modelQuadratic);
  commit('dana', '2026-11-17T16:20:00Z', 'Penalise near-duplicate recommendations with a pairwise diversity score');
  write('service/model.py', model);
  commit('ben', '2026-11-18T10:05:00Z', 'Log how many comparisons the diversity penalty makes');
  write('service/jsonlog.py', jsonlog);
  write('service/telemetry.py', telemetry);
  commit('ana', '2026-11-19T15:00:00Z', 'Release 1.4.0');
  tag('v1.4.0', 'ana', '2026-11-19T15:10:00Z', 'Release 1.4.0');
  tag('2026.11.20', 'ana', '2026-11-20T06:00:00Z', 'Deployed 1.4.0 to production');

  cpSync(join(DEMO, '.incidents'), join(dest, '.incidents'), { recursive: true });
  cpSync(join(DEMO, 'logs'), join(dest, 'logs'), { recursive: true, filter: (src) => !src.endsWith('deploy.jsonl') });
  commit('sam', '2026-11-21T09:00:00Z', 'INC-2026-001: incident notes, evidence and production logs');

  // The next deploy (what the Patterns view's "What is new" finds in logs/deploy.jsonl).
  write('service/catalogue.py', catalogue);
  commit('ben', '2026-11-27T13:45:00Z', 'Fall back to the candidates when a pinned item is gone (behind CATALOGUE_FALLBACK)');
  tag('2026.11.29', 'ben', '2026-11-29T06:00:00Z', 'Deployed 2026.11.29 to production');
  cpSync(join(DEMO, 'logs', 'deploy.jsonl'), join(dest, 'logs', 'deploy.jsonl'));
  cpSync(join(DEMO, 'scripts', 'deploy_logs.py'), join(dest, 'scripts', 'deploy_logs.py'));
  commit('sam', '2026-11-30T10:00:00Z', 'Logs across the 2026.11.29 deploy');
  const status = git(['status', '--porcelain']).trim();
  if (status) throw new Error(`the demo history does not end in demo/'s files:\n${status}`);
  return dest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = process.argv[2];
  if (!dest) {
    console.error('usage: node scripts/demo-workspace.mjs DEST');
    process.exit(2);
  }
  try {
    console.log(makeDemoWorkspace(resolve(dest)));
  } catch (e) {
    console.error(`demo-workspace: ${e.message}`);
    process.exit(1);
  }
}
