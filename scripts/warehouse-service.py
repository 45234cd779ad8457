#!/usr/bin/env python3
"""A fake warehouse inventory service for tests and `make demo`: the contract of DESIGN.md section 2b.

    POST /v1/reservations/{reservation_id}/confirm
    Authorization: Bearer <token>, Idempotency-Key: <key>, JSON body {order_id, order_number, sku, warehouse_id}

Listens on 127.0.0.1 (port 0: a free one) and prints `listening on 127.0.0.1:PORT` on standard output once it
accepts connections, so callers wait for that line instead of sleeping. What it answers is scripted per
reservation id by a JSON file (--script): {"res_1": ["503", "confirm"], ...}, one behaviour per successive call
(the last one repeats). Ids the script does not name get --default, or with --demo a behaviour picked from a
hash of the id. Behaviours:

    confirm            200 {"status": "confirmed", "confirmed_at": …}
    already_confirmed  409 {"status": "already_confirmed"}
    404, 410, 422      the contract's permanent errors
    401, 403           the token is refused (also for any call with the wrong token)
    429, 503           overloaded; `429:30` or `503:30` adds Retry-After: 30, `503:date:30` an HTTP date 30 s ahead
    500, 502, 504      other server errors
    slow               answers `confirm` after --slow-seconds (beyond the client's timeout in tests)
    hang               never answers while the process lives
    drop               closes the connection without an answer
    trickle:S          200 confirm whose head comes at once and whose body comes one byte every S seconds
    not_json           200 with a body that is not JSON

Like the real service it is idempotent: once a key was confirmed, later calls with that key answer 409
already_confirmed whatever the script says. Every call is appended to --log as one JSON line
(reservation_id, idempotency_key, authorized, behaviour, body).
"""
import argparse
import email.utils
import hashlib
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

DEMO_BEHAVIOURS = [
    # (share in percent, behaviours per call)
    (55, ["confirm"]),
    (10, ["already_confirmed"]),
    (15, ["503:60", "confirm"]),
    (5, ["502", "502", "confirm"]),
    (5, ["404"]),
    (4, ["410"]),
    (4, ["422"]),
    (2, ["500"]),
]


def demo_behaviours(reservation_id):
    bucket = int(hashlib.sha256(reservation_id.encode()).hexdigest(), 16) % 100
    for share, behaviours in DEMO_BEHAVIOURS:
        if bucket < share:
            return behaviours
        bucket -= share
    return ["confirm"]


class Warehouse:
    def __init__(self, args):
        self.token = open(args.token_file).read().strip() if args.token_file else args.token
        self.script = json.load(open(args.script)) if args.script else {}
        self.default = args.default
        self.demo = args.demo
        self.slow_seconds = args.slow_seconds
        self.log_path = args.log
        self.lock = threading.Lock()
        self.calls_per_reservation = {}
        self.confirmed_keys = set()

    def behaviour(self, reservation_id, key):
        with self.lock:
            if key in self.confirmed_keys:
                return "already_confirmed"
            if reservation_id in self.script:
                behaviours = self.script[reservation_id]
            elif self.demo:
                behaviours = demo_behaviours(reservation_id)
            else:
                behaviours = [self.default]
            index = self.calls_per_reservation.get(reservation_id, 0)
            self.calls_per_reservation[reservation_id] = index + 1
            return behaviours[min(index, len(behaviours) - 1)]

    def confirmed(self, key):
        with self.lock:
            self.confirmed_keys.add(key)

    def log(self, entry):
        if not self.log_path:
            return
        with self.lock, open(self.log_path, "a") as log:
            log.write(json.dumps(entry, sort_keys=True) + "\n")


def handler_for(warehouse):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the client's
            # delayed ACK would add 40 ms to every answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args):
            pass

        def reply(self, status, body, headers=()):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            parts = self.path.split("/")
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if len(parts) != 5 or parts[:3] != ["", "v1", "reservations"] or parts[4] != "confirm":
                return self.reply(404, {"error": "not_found"})
            reservation_id = unquote(parts[3])
            key = self.headers.get("Idempotency-Key", "")
            authorized = self.headers.get("Authorization") == "Bearer " + warehouse.token
            behaviour = warehouse.behaviour(reservation_id, key) if authorized else "401"
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                body = None
            warehouse.log({"reservation_id": reservation_id, "idempotency_key": key, "authorized": authorized,
                           "behaviour": behaviour, "body": body})
            self.act(behaviour, key)

        def act(self, behaviour, key):
            name, _, argument = behaviour.partition(":")
            if name == "slow":
                time.sleep(warehouse.slow_seconds)
                name = "confirm"
            if name == "hang":
                threading.Event().wait()
            if name == "confirm":
                warehouse.confirmed(key)
                confirmed_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                return self.reply(200, {"status": "confirmed", "confirmed_at": confirmed_at})
            if name == "already_confirmed":
                return self.reply(409, {"status": "already_confirmed"})
            if name == "404":
                return self.reply(404, {"error": "reservation_not_found"})
            if name == "410":
                return self.reply(410, {"error": "reservation_expired"})
            if name == "422":
                return self.reply(422, {"error": "insufficient_stock", "available": 0})
            if name in ("401", "403"):
                return self.reply(int(name), {"error": "unauthorized"})
            if name in ("429", "503"):
                headers = []
                if argument.startswith("date:"):
                    seconds = int(argument[5:])
                    headers.append(("Retry-After", email.utils.formatdate(time.time() + seconds, usegmt=True)))
                elif argument:
                    headers.append(("Retry-After", argument))
                return self.reply(int(name), {"error": "overloaded"}, headers)
            if name == "drop":
                # SO_LINGER 0: the close sends a reset, as a crashed peer would.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            if name == "trickle":
                warehouse.confirmed(key)
                data = json.dumps({"status": "confirmed", "confirmed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.flush()
                for byte in data:
                    time.sleep(float(argument))
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                return
            if name == "not_json":
                return self.reply(200, b"<html>maintenance</html>")
            return self.reply(int(name), {"error": "server_error"})

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a dropped connection is a scripted behaviour, not an error worth a traceback


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="test-token", help="the accepted bearer token (tests only)")
    parser.add_argument("--token-file", help="a file holding the accepted bearer token")
    parser.add_argument("--script", help="a JSON file: reservation id to a list of behaviours")
    parser.add_argument("--default", default="confirm", help="the behaviour for ids the script does not name")
    parser.add_argument("--demo", action="store_true", help="pick unscripted behaviours from a hash of the id")
    parser.add_argument("--slow-seconds", type=float, default=3.0)
    parser.add_argument("--log", help="append one JSON line per call to this file")
    args = parser.parse_args()
    # A parent may hand down a blocked or ignored SIGTERM; the service must always stop when asked.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))

    server = QuietServer(("127.0.0.1", args.port), handler_for(Warehouse(args)))
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
