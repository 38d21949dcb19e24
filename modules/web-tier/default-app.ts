/**
 * The app the servers run until a team brings its own: seed 004's backend, answering the ALB's
 * health path with 200 and `/api/*` with JSON, so the Auto Scaling group's ELB health checks pass
 * after apply (without it every instance is marked unhealthy and replaced, forever).
 *
 * It uses only Python's standard library from the distribution's own signed packages (Amazon
 * Linux 2023's dnf repositories, which verify package signatures), runs as an unprivileged
 * systemd DynamicUser, and listens on the app port only.
 */
export interface DefaultAppOptions {
  readonly port: number;
  /** The target group's health-check path (answered with 200). */
  readonly healthPath: string;
  /** Shown on the index page and in JSON answers. */
  readonly name: string;
}

/** Bash helpers every boot-script part may use (defined before the parts run). */
export const BOOT_PRELUDE = `
# Retry a command for up to 5 minutes: the NAT route or the package mirror may not be ready yet.
retry() { local n=0; until "$@"; do n=$((n + 1)); if [ "$n" -ge 30 ]; then echo "gave up: $*" >&2; return 1; fi; sleep 10; done; }
`.trim();

function serverSource(options: DefaultAppOptions): string {
  return `
import json, socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME = ${JSON.stringify(options.name)}
HEALTH = ${JSON.stringify(options.healthPath)}
INDEX = "<!doctype html><title>%s</title><h1>%s</h1><p>Served by %s. Replace this app with your own.</p>"

class Handler(BaseHTTPRequestHandler):
    server_version = "private-access-default-app"

    def answer(self, status, body, kind):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == HEALTH:
            self.answer(200, json.dumps({"status": "ok"}), "application/json")
        elif path.startswith("/api/"):
            self.answer(200, json.dumps({"app": NAME, "path": path, "host": socket.gethostname()}), "application/json")
        elif path == "/":
            self.answer(200, INDEX % (NAME, NAME, socket.gethostname()), "text/html; charset=utf-8")
        else:
            self.answer(404, json.dumps({"error": "not found"}), "application/json")

    do_HEAD = do_GET

    def do_POST(self):
        length = min(int(self.headers.get("Content-Length") or 0), 1048576)
        self.rfile.read(length)
        self.do_GET()

    def log_message(self, fmt, *args):
        pass

ThreadingHTTPServer(("0.0.0.0", ${options.port}), Handler).serve_forever()
`.trim();
}

/** The boot-script part that installs and starts the default app. */
export function defaultAppScript(options: DefaultAppOptions): string {
  if (!options.healthPath.startsWith("/")) throw new Error(`default app: healthPath must start with "/", got "${options.healthPath}"`);
  return `
retry dnf install -y python3
install -d -m 0755 /opt/private-access-app
cat > /opt/private-access-app/server.py <<'PY'
${serverSource(options)}
PY
cat > /etc/systemd/system/private-access-app.service <<'UNIT'
[Unit]
Description=private-access default app (replace with your own)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/usr/bin/python3 /opt/private-access-app/server.py
DynamicUser=yes${options.port < 1024 ? "\nAmbientCapabilities=CAP_NET_BIND_SERVICE" : ""}
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
Restart=always
RestartSec=5s

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now private-access-app`;
}
