# nfv-web.py NAME ADDR PORT: a server of docs/examples/nfv.yaml. It answers
# every HTTP GET with its NAME, so the client sees which server the load
# balancer chose. It goes to the background once it listens: the lab's run
# command ends when the server is ready.
import http.server
import os
import sys

name, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = (name + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer((addr, port), Handler)
if os.fork():
    os._exit(0)
os.setsid()
server.serve_forever()
