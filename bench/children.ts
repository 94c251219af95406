/**
 * The benchmark's child processes (servers, load generators): every one is tracked and killed on the way out,
 * whatever the way out is (normal end, error, SIGINT/SIGTERM, process exit).
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";

const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const children = new Set<ChildProcess>();

export function spawnTs(file: string, args: string[], extraExecArgv: string[] = [], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = fork(path.join(BENCH_DIR, file), args, { execArgv: ["--import", "tsx", ...extraExecArgv], stdio: ["ignore", "pipe", "pipe", "ipc"], env });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export async function stopChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const kill = setTimeout(() => c.kill("SIGKILL"), 10_000);
          c.once("exit", () => {
            clearTimeout(kill);
            resolve();
          });
          c.kill("SIGTERM");
        }),
    ),
  );
}

process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping the benchmark's processes…`);
    stopChildren().finally(() => process.exit(130));
  });
}

export interface Started<M> {
  child: ChildProcess;
  msg: M;
}

// Four servers (two pipes each) and a load run pipe into stderr at once: past Node's default of 10 listeners it warns
// of a leak that is not one.
process.stderr.setMaxListeners(32);

/** Forks a server and waits for its first IPC message (`{ port, … }` or `{ error }`). Server logs go to stderr. */
export function startServer<M extends { port: number }>(name: string, file: string, args: string[], extraExecArgv: string[] = []): Promise<Started<M>> {
  const child = spawnTs(file, args, extraExecArgv);
  child.stdout!.pipe(process.stderr);
  child.stderr!.pipe(process.stderr);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s`)), 120_000);
    child.once("message", (msg: M & { error?: string }) => {
      clearTimeout(timer);
      if (msg.error) reject(new Error(`${name} failed to start: ${msg.error}`));
      else resolve({ child, msg });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}

/** Sends a message to a child and waits for the answer carrying `key`. */
export function ask(child: ChildProcess, msg: object, key: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (m.profileError) reject(new Error(String(m.profileError)));
      else if (key in m) resolve(m);
      else return;
      child.off("message", onMessage);
    };
    child.on("message", onMessage);
    child.send(msg);
  });
}
