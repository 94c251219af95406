#!/usr/bin/env -S npx tsx
/**
 * The `ferry` command: start, migrate, token, upload, promote, rollback, endpoint, model, infer, predictions, prune.
 * Each subcommand lives in bin/commands/<name>.ts and exports `run(argv)`.
 */
const COMMANDS: Record<string, () => Promise<{ run(argv: string[]): Promise<number | void> }>> = {
  start: () => import("./commands/start"),
  migrate: () => import("./commands/migrate"),
  token: () => import("./commands/token"),
  upload: () => import("./commands/upload"),
  promote: () => import("./commands/promote"),
  rollback: () => import("./commands/rollback"),
  endpoint: () => import("./commands/endpoint"),
  model: () => import("./commands/model"),
  infer: () => import("./commands/infer"),
  predictions: () => import("./commands/predictions"),
  prune: () => import("./commands/prune"),
};

const USAGE = `usage: ferry <command> [options]

  start [--only dashboard|inference] [--dev]   start Ferry (migrates, seeds on first start)
  migrate                                      apply pending database migrations
  token create --name NAME [--role admin|operator|viewer] [--scopes read,write,infer]
  upload FILE.onnx --model NAME [--reference data.csv] [--labels labels.txt] [--alias staging] [--description TEXT]
  promote NAME VERSION --alias ALIAS [--force]
  rollback NAME --alias ALIAS
  endpoint list
  endpoint create NAME --model MODEL (--alias ALIAS | --version N) [--description TEXT]
  endpoint delete NAME
  endpoint wait NAME [--timeout SECONDS]       until every data plane serves the endpoint's current config
  model delete NAME [VERSION [--archive]]      delete a model with all its versions, or one archived version
  model labels NAME VERSION (FILE | --clear)   replace a version's class labels (one per line, class 0 first) or remove them
  infer NAME [--data JSON | --file FILE] [--header x-name=value]   one request through the endpoint (default: its example)
  predictions NAME [--version N] [--outcome ok|error] [--request-id ID] [--limit N] [--out FILE]   the sampled prediction log as JSON Lines
  prune NAME --keep N [--dry-run]              archive and delete versions older than the newest N (not aliased, not routed to)

Environment for the commands that call Ferry: FERRY_URL (default http://127.0.0.1:3000), FERRY_TOKEN.`;

async function main() {
  const [name, ...argv] = process.argv.slice(2);
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`ferry: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  const mod = await load();
  return (await mod.run(argv)) ?? 0;
}

main().then(
  (code) => {
    if (code) process.exitCode = code;
  },
  (e) => {
    console.error(`ferry: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
