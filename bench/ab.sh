#!/bin/bash
# Alternating A/B runs of Ferry's data plane: the only fair comparison on a VM whose speed swings within minutes.
#   bench/ab.sh OLD_TREE NEW_TREE ROUNDS SCENARIOS [SECONDS]   e.g. bench/ab.sh /tmp/old . 3 b1-c64,b64-c8-binary 8
# SECONDS: measured seconds per run (default: --quick, 2 s). Use 8 for batch-64 scenarios: their 2-second runs measure
# mostly warm-up (a change worth +20-40 % in 8-second runs read as noise in quick ones).
# OLD_TREE: `git worktree add /tmp/old <commit>`, then link this tree's node_modules into it and copy lib/generated
# (the Prisma client is generated, not committed). Prints, per run: req/s, the server's CPU per request over all its
# threads, its busiest thread's CPU per request, and p99.
set -euo pipefail
mode=(--quick)
if [ -n "${5:-}" ]; then mode=(--rounds 1 --seconds "$5"); fi
for i in $(seq 1 "$3"); do
  for tree in "$1" "$2"; do
    (cd "$tree" && timeout 300 npx tsx bench/run.ts "${mode[@]}" --targets ferry --scenarios "$4" >/dev/null 2>&1 && node -e '
      const r = require(require("path").resolve("bench/results/latest.json"));
      for (const c of r.cells) {
        const x = c.result;
        console.log(process.argv[1].padEnd(12), c.scenario.padEnd(14), Math.round(x.rps), "req/s", (x.serverCpuPct * 1e4 / x.rps).toFixed(0),
          "µs/req all threads", x.busiestThreadUsPerRequest.toFixed(1), "µs/req busiest", "p99", x.p99Ms.toFixed(1));
      }' "$tree")
  done
done
