"""Stock reservations. Reserving takes the stock lock, then the ledger lock; the nightly audit takes them the
other way round. Each is right alone; run together, each thread holds the lock the other waits for.
`POST /inventory/sync` reserves for the request while an audit runs, and never answers: the demo's stuck
endpoint (find it with Incident Workbench: Dump Python Process Stacks…)."""

import threading
import time

_stock_lock = threading.Lock()
_ledger_lock = threading.Lock()
_stock = {"sku-1": 40, "sku-2": 12}
_ledger = []


def reserve(sku, quantity, meanwhile=lambda: time.sleep(0.2)):
    with _stock_lock:
        _stock[sku] = _stock.get(sku, 0) - quantity
        meanwhile()  # the reservation is written to the database meanwhile
        with _ledger_lock:
            _ledger.append(("reserve", sku, quantity))
    return {"sku": sku, "left": _stock[sku]}


def audit(meanwhile=lambda: time.sleep(0.2)):
    with _ledger_lock:
        entries = list(_ledger)
        meanwhile()  # the ledger is compared with the warehouse export meanwhile
        with _stock_lock:
            return {"entries": len(entries), "skus": len(_stock)}


def sync(sku, quantity):
    # Each thread holds its first lock before either reaches for its second, so the demo loses the race
    # every time, however loaded the machine (in production it is lost once in a while, under load).
    both_busy = threading.Barrier(2)
    auditor = threading.Thread(target=audit, args=(both_busy.wait,), name="inventory-audit", daemon=True)
    auditor.start()
    return reserve(sku, quantity, both_busy.wait)
