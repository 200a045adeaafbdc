"""One mapping used from many Python threads at once: every write lands, every read sees a
whole item, and one iterator shared by threads yields each element exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

from dynamodb_mapping import DynamoDBMapping

THREADS = 8
PER_THREAD = 40


def run_threads(target):
    errors = []

    def guarded(i):
        try:
            target(i)
        except BaseException as e:  # carried to the test thread
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_writes_and_reads_from_many_threads(mapping):
    def work(t):
        for i in range(PER_THREAD):
            key = f"t{t}-{i}"
            mapping[key] = {"thread": t, "i": i, "payload": "x" * 100}
            assert mapping[key]["i"] == i
            mapping[key]["seen"] = True

    run_threads(work)
    items = dict(mapping.items())
    assert len(items) == THREADS * PER_THREAD
    for key, item in items.items():
        t, i = key[1:].split("-")
        assert item == {"pk": key, "thread": Decimal(t), "i": Decimal(i), "payload": "x" * 100, "seen": True}


def test_one_iterator_shared_by_threads_yields_each_item_once(mapping):
    mapping.update({f"k{i:04}": {"v": i} for i in range(300)})
    it = mapping.scan(page_size=17)
    seen = []
    lock = threading.Lock()

    def drain(_):
        for item in it:
            with lock:
                seen.append(item["pk"])

    run_threads(drain)
    counts = Counter(seen)
    assert len(counts) == 300 and set(counts.values()) == {1}


def test_batches_from_many_threads(mapping):
    def work(t):
        mapping.update({f"b{t}-{i}": {"v": i} for i in range(60)})
        got = mapping.get_many([f"b{t}-{i}" for i in range(60)])
        assert [g["v"] for g in got] == list(range(60))

    run_threads(work)
    assert mapping.count() == THREADS * 60


def test_mappings_made_and_dropped_by_threads(table_name):
    def work(t):
        for i in range(10):
            m = DynamoDBMapping(table_name)
            m[f"m{t}-{i}"] = {"v": i}
            del m

    run_threads(work)
    assert DynamoDBMapping(table_name).count() == THREADS * 10
