"""Failure modes through the Python package: malformed, truncated, oversized and corrupt
answers, stalls, lost answers of writes (with a real server behind the fault), and the GIL
released while a request waits."""

from __future__ import annotations

import threading

import pytest

import dynamodb_mapping as dm
from dynamodb_mapping import DynamoDBMapping

from fakes import FakeDynamoDB, Reply, describe, json_reply


@pytest.fixture
def fake():
    servers = []

    def make(handlers, upstream: str = ""):
        f = FakeDynamoDB(handlers, upstream)
        servers.append(f)
        return f

    yield make
    for f in servers:
        f.close()


def quick(fake_server, table="faults", **kwargs):
    return DynamoDBMapping(table, endpoint_url=fake_server.endpoint, max_attempts=2,
                           read_timeout=kwargs.pop("read_timeout", 5), **kwargs)


def test_malformed_json_is_a_typed_error(fake):
    f = fake({"DescribeTable": lambda b: describe(), "GetItem": lambda b: Reply(body=b'{"Item": {"pk": {"S": "x"')})
    with pytest.raises(dm.DynamoDBMappingError) as e:
        quick(f).get("x")
    assert isinstance(e.value, (dm.DecodeError, dm.ProtocolError, dm.NetworkError))


def test_wrong_shape_is_a_typed_error(fake):
    f = fake({"DescribeTable": lambda b: describe(), "GetItem": lambda b: json_reply({"Item": {"pk": {"Q": "x"}}})})
    with pytest.raises(dm.DynamoDBMappingError):
        quick(f).get("x")


def test_wrong_crc32_is_retried_then_a_network_error(fake):
    f = fake({"DescribeTable": lambda b: describe(), "GetItem": lambda b: Reply(body=b"{}", crc=12345)})
    with pytest.raises(dm.NetworkError) as e:
        quick(f).get("x")
    assert e.value.code == "ChecksumMismatch"
    assert f.count("GetItem") == 2  # max_attempts


def test_truncated_body_is_a_network_error(fake):
    f = fake({"DescribeTable": lambda b: describe(), "GetItem": lambda b: Reply(body=b'{"Item":', content_length=500)})
    with pytest.raises(dm.NetworkError):
        quick(f).get("x")


def test_oversized_answer_is_refused(fake):
    f = fake({"DescribeTable": lambda b: describe(), "GetItem": lambda b: Reply(body=b"{}", content_length=1 << 30)})
    with pytest.raises(dm.DynamoDBMappingError) as e:
        quick(f).get("x")
    assert e.value.code in ("ResponseTooLarge", "ConnectionError", "Timeout")


def test_a_refusal_keeps_its_code_status_and_request_id(fake):
    refusal = Reply(400, b'{"__type": "com.amazonaws.dynamodb.v20120810#AccessDeniedException", "Message": "not you"}',
                    headers={"x-amzn-RequestId": "REQ123"})
    f = fake({"DescribeTable": lambda b: describe(), "GetItem": lambda b: refusal})
    m = DynamoDBMapping("faults", endpoint_url=f.endpoint, aws_access_key_id="AKIDEXAMPLE",
                        aws_secret_access_key="SECRET/never-in-a-message", aws_session_token="TOKEN-never-shown")
    with pytest.raises(dm.AccessDeniedError) as e:
        m.get("x")
    err = e.value
    assert (err.code, err.status, err.request_id, err.operation, err.table) == \
        ("AccessDeniedException", 400, "REQ123", "GetItem", "faults")
    text = str(err) + repr(err) + repr(err.__dict__)
    assert "SECRET/never-in-a-message" not in text and "TOKEN-never-shown" not in text
    assert f.count("GetItem") == 1  # never retried


def test_bad_input_is_refused_before_sending(fake):
    f = fake({"DescribeTable": lambda b: describe()})
    m = quick(f)
    for bad in ({"s": set()}, {"n": 0.1}, {"o": object()}, {1: "non-str name"}, {"d": float("nan")}):
        with pytest.raises(dm.DynamoDBMappingError):
            m["k"] = bad
    with pytest.raises(ValueError):
        m[("a", "b")] = {"x": 1}
    assert f.count("PutItem") == 0


def test_a_self_containing_list_is_refused_not_a_crash(fake):
    f = fake({"DescribeTable": lambda b: describe()})
    loop: list = []
    loop.append(loop)
    with pytest.raises(dm.ValidationError):
        quick(f)["k"] = {"l": loop}


def test_gil_is_released_while_a_request_waits(fake):
    # The fake holds GetItem's answer until another *Python* thread sets the event: with the GIL
    # held during the wait, that thread could never run and the call would time out instead.
    release = threading.Event()

    def held(body):
        release.wait(10)
        return json_reply({"Item": {"pk": {"S": "x"}}} if release.is_set() else {})

    f = fake({"DescribeTable": lambda b: describe(), "GetItem": held})
    m = quick(f, read_timeout=8)
    m.key_names  # the schema first, so the only wait below is GetItem's
    started = threading.Event()

    def other_thread():
        started.set()
        sum(range(10000))  # Python bytecode: needs the GIL
        release.set()

    t = threading.Thread(target=other_thread)
    t.start()
    assert m.get("x") == {"pk": "x"}
    t.join()


def test_gil_is_released_while_a_scan_page_waits(fake):
    release = threading.Event()
    pages = iter([
        json_reply({"Items": [{"pk": {"S": "a"}}], "LastEvaluatedKey": {"pk": {"S": "a"}}}),
        None,
    ])

    def scan(body):
        reply = next(pages)
        if reply is None:  # the second page waits for the other thread
            release.wait(10)
            return json_reply({"Items": [{"pk": {"S": "b"}}] if release.is_set() else []})
        return reply

    f = fake({"DescribeTable": lambda b: describe(), "Scan": scan})
    it = quick(f, read_timeout=8).scan()
    assert next(it) == {"pk": "a"}
    t = threading.Thread(target=release.set)
    t.start()
    assert next(it) == {"pk": "b"}
    t.join()


def test_lost_answer_of_a_versioned_put_is_not_reported_failed(fake, table_name, endpoint):
    # Optimistic locking: the PutItem is applied, its answer lost; the retry's condition then
    # fails against our own write. The call must succeed, and the version advance once.
    direct = DynamoDBMapping(table_name, version_attribute="version")
    direct["k"] = {"v": 1}
    assert direct["k"]["version"] == 1
    dropped = []

    def put(body):
        if not dropped:
            dropped.append(1)
            f.forward_reply(body, "PutItem")  # applied...
            return Reply(drop=True)  # ...and the answer lost
        return f.forward_reply(body, "PutItem")

    f = fake({"PutItem": put}, upstream=endpoint)
    m = DynamoDBMapping(table_name, endpoint_url=f.endpoint, version_attribute="version")
    item = dict(direct["k"])
    item["v"] = 2
    m["k"] = item
    assert dropped == [1]
    assert direct.get("k", consistent_read=True) == {"pk": "k", "v": 2, "version": 2}


def test_lost_answer_of_pop_does_not_lose_the_item(fake, table_name, endpoint):
    DynamoDBMapping(table_name)["k"] = {"v": "precious"}
    dropped = []

    def delete(body):
        reply = f.forward_reply(body, "DeleteItem")
        if not dropped:
            dropped.append(1)
            return Reply(drop=True)
        return reply

    f = fake({"DeleteItem": delete}, upstream=endpoint)
    m = DynamoDBMapping(table_name, endpoint_url=f.endpoint)
    try:
        value = m.pop("k")
    except dm.AmbiguousOutcomeError as e:
        value = e.item
    assert value == {"pk": "k", "v": "precious"}
    assert dropped == [1]
    assert DynamoDBMapping(table_name).get("k", consistent_read=True) is None


DROP_ITERATOR_SCRIPT = r"""
import sys, threading
sys.path[:0] = [sys.argv[2]]
from dynamodb_mapping import DynamoDBMapping

class Frozen:
    access_key, secret_key, token = "AKID", "SECRET", None

class Credentials:
    def get_frozen_credentials(self):
        return Frozen()

class Session:  # what DynamoDBMapping reads of a boto3.Session
    region_name, profile_name = "us-east-1", None
    def get_credentials(self):
        return Credentials()

m = DynamoDBMapping("faults", boto3_session=Session(), endpoint_url=sys.argv[1])
for round in range(20):
    it = iter(m.values())  # prefetches page 2 on another thread, which asks for credentials
    next(it)
    del it  # waits for that thread: the GIL must be free meanwhile
print("done")
"""


def test_dropping_an_iterator_while_its_prefetch_needs_the_gil(fake, tmp_path):
    import os
    import subprocess
    import sys

    page = json_reply({"Items": [{"pk": {"S": "a"}}], "LastEvaluatedKey": {"pk": {"S": "a"}}})
    f = fake({"DescribeTable": lambda b: describe(), "Scan": lambda b: page})
    script = tmp_path / "drop.py"
    script.write_text(DROP_ITERATOR_SCRIPT)
    package = os.path.dirname(os.path.dirname(__import__("dynamodb_mapping").__file__))
    # A deadlock would hang: the subprocess's timeout turns it into a failure.
    out = subprocess.run([sys.executable, str(script), f.endpoint, package], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "done"


INTERRUPT_SCRIPT = r"""
import sys
sys.path[:0] = [sys.argv[2]]
from dynamodb_mapping import DynamoDBMapping
m = DynamoDBMapping("faults", endpoint_url=sys.argv[1], read_timeout=120, max_attempts=1)
try:
    m.get("x")
    print("answered")
except KeyboardInterrupt:
    print("interrupted")
"""


def test_ctrl_c_interrupts_a_waiting_request(fake, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    arrived = threading.Event()
    release = threading.Event()

    def stall(body):
        arrived.set()
        release.wait(60)  # far beyond the test: only Ctrl-C can end the call in time
        return json_reply({})

    f = fake({"DescribeTable": lambda b: describe(), "GetItem": stall})
    script = tmp_path / "interrupt.py"
    script.write_text(INTERRUPT_SCRIPT)
    package = os.path.dirname(os.path.dirname(__import__("dynamodb_mapping").__file__))
    proc = subprocess.Popen([sys.executable, str(script), f.endpoint, package],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert arrived.wait(30), "the request never reached the fake server"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    assert out.strip() == "interrupted", err
