"""ClickHouse's HTTP interface over chDB (ClickHouse in-process), for the differential
tests: the current ClickHouse engine answers flowq's HTTP requests on loopback.

    python chdb_server.py DATA_DIR PORT_FILE

Serves POST / (the statement in the body, or in ?query= with data in the body, as
ClickHouse's HTTP interface does) on a free loopback port, written to PORT_FILE.
Errors come back as status 500 with ClickHouse's message, as the server sends them.
"""

import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from chdb import session

data_dir, port_file = sys.argv[1], sys.argv[2]
db = session.Session(data_dir)
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer(200, b"Ok.\n")

    def do_POST(self):
        params = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        statement = params["query"][0] + "\n" + body if "query" in params else body
        try:
            with lock:
                result = db.query(statement, "TabSeparated")
            out = result.bytes() if result is not None else b""
            self.answer(200, out)
        except Exception as e:  # ClickHouse's own error text
            self.answer(500, (str(e) + "\n").encode())


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
