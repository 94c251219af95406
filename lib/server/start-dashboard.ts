/**
 * The dashboard and control-plane API: Next.js run in this process (a custom server), so that in embedded mode it
 * shares the one PGlite-backed Prisma client with the data plane.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";

export async function startDashboard(opts: { dir: string; host: string; port: number; dev?: boolean }) {
  const app = next({ dev: !!opts.dev, dir: opts.dir, hostname: opts.host, port: opts.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "internal error" }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.close();
    },
  };
}
