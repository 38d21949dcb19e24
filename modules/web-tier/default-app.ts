import type { BootPart } from "../common/boot/boot-part";

/**
 * The app the servers run until a team brings its own (the edge's API backend), answering the ALB's
 * health path with 200 and `/api/*` with JSON, so the Auto Scaling group's ELB health checks pass
 * after apply (without it every instance is marked unhealthy and replaced, forever).
 *
 * It uses only Python's standard library, from the image (nothing is fetched at boot), runs as an unprivileged
 * systemd DynamicUser, and listens on the app port only.
 */
export interface DefaultAppOptions {
  readonly port: number;
  /** The target group's health-check path (answered with 200). */
  readonly healthPath: string;
  /** Shown on the index page and in JSON answers. */
  readonly name: string;
}

/** The methods CloudFront forwards to the API path (allowed methods: all seven); the app answers each. */
export const FORWARDED_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"] as const;

function serverSource(options: DefaultAppOptions): string {
  return `
import json, os, socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME = ${JSON.stringify(options.name)}
HEALTH = ${JSON.stringify(options.healthPath)}
METHODS = ${JSON.stringify([...FORWARDED_METHODS])}
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

    def do_OPTIONS(self):
        self.send_response(204)
        self.send_header("Allow", ", ".join(METHODS))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def with_body(self):
        length = min(int(self.headers.get("Content-Length") or 0), 1048576)
        self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        if path.startswith("/api/"):
            self.answer(200, json.dumps({"app": NAME, "method": self.command, "path": path, "host": socket.gethostname()}), "application/json")
        else:
            self.answer(405, json.dumps({"error": "method not allowed"}), "application/json")

    do_POST = do_PUT = do_PATCH = do_DELETE = with_body

    def log_message(self, fmt, *args):
        pass

# Every interface by default (the load balancer reaches the server); tests bind loopback.
ThreadingHTTPServer((os.environ.get("APP_ADDRESS", "0.0.0.0"), ${options.port}), Handler).serve_forever()
`.trim();
}

/** Where the default app's server lives on the server. */
export const DEFAULT_APP_SOURCE = "/opt/private-access-app/server.py";

/**
 * The boot part that starts the default app: Python 3 from the image (Amazon Linux 2023 ships it,
 * so boot needs no package mirror for it), run as an unprivileged systemd DynamicUser.
 */
export function defaultAppPart(options: DefaultAppOptions): BootPart {
  if (!options.healthPath.startsWith("/")) throw new Error(`default app: healthPath must start with "/", got "${options.healthPath}"`);
  const unit = "private-access-app.service";
  return {
    name: "default-app",
    description: `the default app on port ${options.port} (health path ${options.healthPath})`,
    packages: [{ name: "python3", program: "/usr/bin/python3", versionCommand: "/usr/bin/python3 --version", source: { kind: "image" } }],
    files: [{ path: DEFAULT_APP_SOURCE, mode: "0644", content: serverSource(options) }],
    units: [
      {
        name: unit,
        enable: true,
        content: `[Unit]
Description=private-access default app (replace with your own)
After=network.target

[Service]
ExecStart=/usr/bin/python3 ${DEFAULT_APP_SOURCE}
DynamicUser=yes${options.port < 1024 ? "\nAmbientCapabilities=CAP_NET_BIND_SERVICE" : ""}
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
Restart=always
RestartSec=5s

[Install]
WantedBy=multi-user.target
`,
      },
    ],
    facts: { listens: [{ port: options.port, unit, healthPath: options.healthPath, methods: [...FORWARDED_METHODS] }] },
  };
}
