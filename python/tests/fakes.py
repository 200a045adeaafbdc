"""A DynamoDB stand-in on 127.0.0.1 for fault tests: each request is answered by a handler
chosen by its X-Amz-Target operation, which can return JSON, garbage, a wrong checksum, an
oversized or truncated body, hold the answer until told, or forward the request to the real
test server and drop the answer (the request was applied, the client never hears of it)."""

from __future__ import annotations

import http.client
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, Optional
from urllib.parse import urlparse


class Reply:
    """What a handler returns: status, body bytes, and extra headers; `drop` closes the
    connection without an answer; `content_length` lies about the body's size."""

    def __init__(self, status: int = 200, body: bytes = b"{}", headers: Optional[Dict[str, str]] = None,
                 drop: bool = False, content_length: Optional[int] = None, crc: Optional[int] = None):
        self.status, self.body, self.headers = status, body, headers or {}
        self.drop, self.content_length, self.crc = drop, content_length, crc


def json_reply(obj, status: int = 200) -> Reply:
    return Reply(status, json.dumps(obj).encode())


def describe(table: str = "faults", key: str = "pk") -> Reply:
    return json_reply({"Table": {
        "TableName": table, "TableStatus": "ACTIVE", "ItemCount": 0,
        "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}]}})


class FakeDynamoDB:
    """handlers: operation name ("GetItem") -> callable(body dict) -> Reply. Operations with no
    handler are forwarded to `upstream` when given, else answered 400 UnknownOperation."""

    def __init__(self, handlers: Dict[str, Callable[[dict], Reply]], upstream: str = ""):
        self.handlers = handlers
        self.upstream = urlparse(upstream) if upstream else None
        self.calls: list = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                op = self.headers.get("X-Amz-Target", "").split(".")[-1]
                with fake.lock:
                    fake.calls.append((op, dict(self.headers)))
                body = json.loads(raw or b"{}")
                handler = fake.handlers.get(op)
                if handler is None and fake.upstream is not None:
                    reply = fake.forward(raw, self.headers)
                elif handler is None:
                    reply = json_reply({"__type": "UnknownOperationException", "message": op}, 400)
                else:
                    reply = handler(body)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(reply.content_length if reply.content_length is not None else len(reply.body)))
                crc = reply.crc if reply.crc is not None else zlib.crc32(reply.body)
                self.send_header("x-amz-crc32", str(crc))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(reply.body)
                if reply.content_length is not None and reply.content_length != len(reply.body):
                    self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def forward(self, raw: bytes, headers) -> Reply:
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=10)
        names = ("Content-Type", "X-Amz-Target", "Authorization", "X-Amz-Date")
        conn.request("POST", "/", raw, {n: headers[n] for n in names if n in headers})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        return Reply(r.status, body)

    def forward_reply(self, body: dict, op: str) -> Reply:
        """Forwards a request a handler received (for handlers that drop after applying)."""
        raw = json.dumps(body).encode()
        return self.forward(raw, {"Content-Type": "application/x-amz-json-1.0",
                                  "X-Amz-Target": f"DynamoDB_20120810.{op}",
                                  "Authorization": "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
                                  "X-Amz-Date": "20200101T000000Z"})

    def count(self, op: str) -> int:
        with self.lock:
            return sum(1 for o, _ in self.calls if o == op)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
