/**
 * Scratch databases on a Postgres server — a test run's, a benchmark's, the schema engine's shadow: created under the
 * caller's name, dropped together with any connection still open to them (`WITH (FORCE)`).
 */
import pg from "pg";

/** Creates database `name` on the server `server` reaches; resolves to the function that drops it. */
export async function createScratchDatabase(server: string | pg.ClientConfig, name: string): Promise<() => Promise<void>> {
  await adminQuery(server, `CREATE DATABASE "${name}"`);
  return () => adminQuery(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** The URL of database `name` on the server `serverUrl` names. */
export function databaseUrl(serverUrl: string | URL, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(server: string | pg.ClientConfig, sql: string): Promise<void> {
  const client = new pg.Client(server);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
