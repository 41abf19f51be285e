"""A webhook receiver for tests: http.server on loopback in a thread. It answers each
request with the next status it was given (then 200) and keeps what it received."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, answers=()):
        self.answers = list(answers)
        self.requests = []  # (headers, body)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = owner.answers.pop(0) if owner.answers else 200
                answer = b"thanks" if status < 300 else b"not now"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks?source=partnerships"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
