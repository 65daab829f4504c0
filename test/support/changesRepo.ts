/**
 * A real git repository made at test time for suspect commits and releases: a small Python shop whose
 * history has one commit that introduces a bug at a known line, others that touch nearby files and the same
 * file elsewhere, a branch merged back, a rename of the buggy file after the bug, a fix and its regression,
 * and three tagged releases. Each release is checked out and really run (python3 -m shop.run), so its
 * JSON-lines log holds CPython's own tracebacks. The run's clock starts on the release's deploy day
 * (SHOP_CLOCK_START, see shop/jsonlog.py): the events are real, only the date they carry is chosen, so the
 * history (dated commits) and the logs tell one story.
 *
 * Releases and what their logs show (cluster → status when all three logs are read):
 *   v1.0.0  LookupError durian (line_total)   TypeError str qty (line_total)   ZeroDivisionError (average_price)
 *   v1.1.0  LookupError                       — fixed                           ZeroDivisionError
 *   v1.2.0  LookupError → ongoing             TypeError again → regressed       — fixed → resolved
 *           AttributeError 'NoneType'.upper (discount) → new; introduced by "Accept discount codes in any case"
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const VERSION = (v: string) => `VERSION = "${v}"\n`;

const JSONLOG = `"""One JSON object per log line. SHOP_CLOCK_START (epoch seconds) sets when the run's clock starts, so each
release's run carries the day it was deployed; the time elapsed in the run is real."""

import json
import logging
import os
import time
import traceback

from .version import VERSION

_T0 = time.time()
_START = float(os.environ.get("SHOP_CLOCK_START", _T0))


class JSONFormatter(logging.Formatter):
    def format(self, record):
        t = _START + (record.created - _T0)
        data = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % (int(t * 1000) % 1000),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "service": "shop",
            "release": VERSION,
        }
        if record.exc_info and record.exc_info[0] is not None:
            data["exception"] = {
                "type": record.exc_info[0].__name__,
                "message": str(record.exc_info[1]),
                "traceback": "".join(traceback.format_exception(*record.exc_info)),
            }
        return json.dumps(data)


def configure(path):
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
`;

const PRICING_DOC = '"""Prices, discounts and order statistics."""\n';
const PRICING_DOC_LONG = `"""Prices, discounts and order statistics.

Discount codes: SPRING10 (10 %) and VIP20 (20 %), in any case.
"""
`;
const PRICING_HEAD = `
PRICES = {"apple": 0.5, "bread": 2.25, "cheese": 6.0, "dates": 4.75}
DISCOUNTS = {"SPRING10": 0.10, "VIP20": 0.20}


def unit_price(sku):
    return PRICES[sku]


`;
const DISCOUNT_V1 = `def discount(total, code):
    if code is None:
        return total
    rate = DISCOUNTS.get(code, 0.0)
    return round(total * (1 - rate), 2)
`;
/** The bug: the None guard goes, and `code.upper()` fails for orders without a code. */
const DISCOUNT_BUG = `def discount(total, code):
    rate = DISCOUNTS.get(code.upper(), 0.0)
    return round(total * (1 - rate), 2)
`;
export const BUG_LINE_TEXT = '    rate = DISCOUNTS.get(code.upper(), 0.0)';
const AVERAGE_V1 = `

def average_price(lines):
    return sum(price for price, _ in lines) / len(lines)
`;
const AVERAGE_FIXED = `

def average_price(lines):
    if not lines:
        return 0.0
    return sum(price for price, _ in lines) / len(lines)
`;
const BULK = `

def bulk_discount(total, count):
    return round(total * 0.95, 2) if count >= 10 else total
`;

function cart(o: { module: 'pricing' | 'prices'; qty: 'raw' | 'int' | 'get'; bulk: boolean; logTotal: boolean }): string {
  const imp = o.module === 'pricing' ? 'from . import pricing' : 'from . import prices as pricing';
  const known = `    if item["sku"] not in pricing.PRICES:\n        raise LookupError(f"unknown item {item['sku']}")\n`;
  const line =
    known +
    (o.qty === 'raw'
      ? `    return pricing.unit_price(item["sku"]) * item["qty"]\n`
      : o.qty === 'int'
        ? `    return pricing.unit_price(item["sku"]) * int(item["qty"])\n`
        : `    qty = item.get("qty", 1)\n    return pricing.unit_price(item["sku"]) * qty\n`);
  return `"""Checkout: prices each line of an order, applies the discount code."""

import logging

${imp}

logger = logging.getLogger("shop.cart")


def line_total(item):
${line}

def checkout(order):
    lines = [(line_total(item), item) for item in order["items"]]
    subtotal = sum(total for total, _ in lines)
    total = pricing.discount(subtotal, order.get("code"))
${o.bulk ? `    total = pricing.bulk_discount(total, sum(int(i["qty"]) for i in order["items"]))\n` : ''}    logger.info("order %s: %d lines, average %.2f", order["id"], len(lines), pricing.average_price(lines))
${o.logTotal ? `    logger.info("order %s: total %.2f", order["id"], total)\n` : ''}    return total
`;
}

const RUN = `"""Runs the day's orders through checkout, logging each result: python3 -m shop.run --out FILE."""

import argparse
import logging

from . import cart, jsonlog


def orders():
    out = []
    for i in range(60):
        items = [{"sku": ["apple", "bread", "cheese", "dates"][(i + k) % 4], "qty": 1 + (i * k) % 3} for k in range(1 + i % 3)]
        if i % 10 == 3:
            items.append({"sku": "durian", "qty": 1})
        if i % 10 == 5:
            items[0]["qty"] = str(items[0]["qty"])
        if i % 15 == 7:
            items = []
        out.append({"id": f"o-{i:03d}", "items": items, "code": [None, "SPRING10", "vip20", None][i % 4]})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    jsonlog.configure(args.out)
    logger = logging.getLogger("shop")
    for order in orders():
        try:
            total = cart.checkout(order)
            logger.info("order %s paid %.2f", order["id"], total)
        except Exception:
            logger.exception("checkout failed for order %s", order["id"])


if __name__ == "__main__":
    main()
`;

export interface ShopHistory {
  /** The repository (a plain folder with .git). */
  repo: string;
  /** release → the JSON-lines log its real run wrote (outside the repository). */
  logs: Record<'1.0.0' | '1.1.0' | '1.2.0', string>;
  /** label → commit id. */
  commits: Record<string, string>;
  /** The line of `BUG_LINE_TEXT` in shop/prices.py at v1.2.0, and in shop/pricing.py at the bug's commit. */
  bugLine: number;
  bugLineThen: number;
}

/** Where each release's log starts (its deploy day), and the commits' dates, all UTC. */
const RUN_START = { '1.0.0': '2026-03-04T10:00:00Z', '1.1.0': '2026-03-08T10:00:00Z', '1.2.0': '2026-03-19T10:00:00Z' } as const;

/**
 * Makes the repository under `dir/shop` and the release logs under `dir/logs`. Takes about a second
 * (sixteen commits, three python runs).
 */
export function makeShopHistory(dir: string): ShopHistory {
  const repo = path.join(dir, 'shop');
  const logsDir = path.join(dir, 'logs');
  mkdirSync(repo, { recursive: true });
  mkdirSync(logsDir, { recursive: true });
  // Nobody's git config: no signing, no hooks, a fixed default branch.
  const baseEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
  const git = (args: string[], env: Record<string, string> = {}) => execFileSync('git', args, { cwd: repo, env: { ...baseEnv, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };
  const people: Record<string, [string, string]> = {
    alice: ['Alice Martin', 'alice@shop.example'],
    bob: ['Bob Okafor', 'bob@shop.example'],
    carol: ['Carol Nguyen', 'carol@shop.example'],
    dave: ['Dave Kowalski', 'dave@shop.example'],
    erin: ['Erin Silva', 'erin@shop.example'],
  };
  const who = (person: string, date: string) => {
    const [name, email] = people[person]!;
    return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_DATE: date };
  };
  const commits: Record<string, string> = {};
  const commit = (label: string, person: string, date: string, message: string) => {
    git(['add', '-A']);
    git(['commit', '-q', '--no-verify', '-m', message], who(person, date));
    commits[label] = git(['rev-parse', 'HEAD']);
  };
  const tag = (name: string, person: string, date: string) => git(['tag', '-a', name, '-m', `Release ${name}`], who(person, date));

  git(['init', '-q', '-b', 'main']);
  write('README.md', '# shop\n\nCheckout for the corner shop: `python3 -m shop.run --out orders.jsonl`.\n');
  write('shop/__init__.py', '');
  write('shop/version.py', VERSION('1.0.0'));
  write('shop/jsonlog.py', JSONLOG);
  write('shop/pricing.py', PRICING_DOC + PRICING_HEAD + DISCOUNT_V1 + AVERAGE_V1);
  write('shop/cart.py', cart({ module: 'pricing', qty: 'raw', bulk: false, logTotal: false }));
  write('shop/run.py', RUN);
  commit('initial', 'alice', '2026-03-02T09:00:00Z', 'Checkout with prices, discount codes and order statistics');
  tag('v1.0.0', 'alice', '2026-03-02T09:30:00Z');

  write('shop/cart.py', cart({ module: 'pricing', qty: 'int', bulk: false, logTotal: false }));
  commit('fixQty', 'bob', '2026-03-05T11:00:00Z', 'Parse quantities as integers');
  write('shop/version.py', VERSION('1.1.0'));
  commit('release110', 'alice', '2026-03-06T09:00:00Z', 'Release 1.1.0');
  tag('v1.1.0', 'alice', '2026-03-06T09:05:00Z');

  git(['checkout', '-q', '-b', 'bulk-discount']);
  write('shop/pricing.py', PRICING_DOC + PRICING_HEAD + DISCOUNT_V1 + AVERAGE_V1 + BULK);
  write('shop/cart.py', cart({ module: 'pricing', qty: 'int', bulk: true, logTotal: false }));
  commit('bulk', 'carol', '2026-03-09T15:00:00Z', 'Add a bulk discount for orders of 10 items or more');
  git(['checkout', '-q', 'main']);
  write('shop/pricing.py', PRICING_DOC + PRICING_HEAD + DISCOUNT_V1 + AVERAGE_FIXED);
  commit('fixAverage', 'bob', '2026-03-10T10:00:00Z', 'Guard the average price against empty orders');
  git(['merge', '-q', '--no-ff', '--no-edit', 'bulk-discount'], who('alice', '2026-03-11T09:00:00Z'));
  commits.merge = git(['rev-parse', 'HEAD']);

  write('shop/pricing.py', PRICING_DOC + PRICING_HEAD + DISCOUNT_BUG + AVERAGE_FIXED + BULK);
  commit('bug', 'dave', '2026-03-16T14:00:00Z', 'Accept discount codes in any case');
  const bugLineThen = readFileSync(path.join(repo, 'shop/pricing.py'), 'utf8').split('\n').indexOf(BUG_LINE_TEXT) + 1;
  write('shop/cart.py', cart({ module: 'pricing', qty: 'int', bulk: true, logTotal: true }));
  commit('logTotal', 'erin', '2026-03-16T16:00:00Z', 'Log the order total');
  git(['mv', 'shop/pricing.py', 'shop/prices.py']);
  write('shop/cart.py', cart({ module: 'prices', qty: 'int', bulk: true, logTotal: true }));
  commit('rename', 'carol', '2026-03-17T09:00:00Z', 'Rename pricing to prices');
  write('shop/cart.py', cart({ module: 'prices', qty: 'get', bulk: true, logTotal: true }));
  commit('regressQty', 'bob', '2026-03-17T13:00:00Z', 'Simplify quantity handling');
  write('shop/prices.py', PRICING_DOC_LONG + PRICING_HEAD + DISCOUNT_BUG + AVERAGE_FIXED + BULK);
  commit('docs', 'alice', '2026-03-18T08:00:00Z', 'Document the discount codes');
  write('shop/version.py', VERSION('1.2.0'));
  commit('release120', 'alice', '2026-03-18T09:00:00Z', 'Release 1.2.0');
  tag('v1.2.0', 'alice', '2026-03-18T09:05:00Z');
  const bugLine = readFileSync(path.join(repo, 'shop/prices.py'), 'utf8').split('\n').indexOf(BUG_LINE_TEXT) + 1;

  const logs = {} as ShopHistory['logs'];
  for (const release of ['1.0.0', '1.1.0', '1.2.0'] as const) {
    const tree = path.join(dir, `run-${release}`);
    git(['worktree', 'add', '-q', '--detach', tree, `v${release}`]);
    const out = path.join(logsDir, `shop-${release}.jsonl`);
    execFileSync('python3', ['-m', 'shop.run', '--out', out], {
      cwd: tree,
      env: { ...process.env, SHOP_CLOCK_START: String(Date.parse(RUN_START[release]) / 1000), PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    git(['worktree', 'remove', '--force', tree]);
    rmSync(tree, { recursive: true, force: true });
    logs[release] = out;
  }
  return { repo, logs, commits, bugLine, bugLineThen };
}
