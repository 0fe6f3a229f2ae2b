#!/usr/bin/env python3
"""Instructions per presigned GET URL and per presigned POST policy, counted by callgrind and
compared with the budgets in tests/perf/budgets.json. Deterministic: no timing.

    check_instructions.py DRIVER [--budgets FILE] [--n N] [--write-budgets]

For each operation, runs `DRIVER <op> N` under `valgrind --tool=callgrind`, collecting only
inside the driver's batch function (`--toggle-collect=presign_perf_<op>_batch`; a warm-up call
outside it fills the per-thread caches), and divides the instructions by N. Two figures per
operation:

- `outside_openssl`: instructions in presign, libstdc++ and libc (URL and policy building,
  encodings, allocations) -- what a change to presign's own code moves;
- `total`: everything, SHA-256 included.

OpenSSL is told to use no CPU extensions (OPENSSL_ia32cap=0:0), so its SHA-256 takes the
same plain x86-64 path on every machine and `total` does not depend on the CPU (valgrind
hides the SHA extensions anyway). Each figure fails when it exceeds its budget by more than
the margin in the budgets file; --write-budgets records the current figures instead.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

OPERATIONS = ("get", "post")
# One function line of `callgrind_annotate`: "  9,273,660 (52.00%)  file:function [object]".
FUNCTION_LINE = re.compile(r"^\s*([\d,]+)\s+\([^)]*\)\s+.*\[([^\]]+)\]\s*$")


def count(driver, op, n, workdir):
    """Instructions per operation: (total, outside OpenSSL)."""
    out = os.path.join(workdir, f"callgrind.{op}")
    env = dict(os.environ, OPENSSL_ia32cap="0:0")
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         "--collect-atstart=no", f"--toggle-collect=presign_perf_{op}_batch",
         driver, op, str(n)],
        check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    annotated = subprocess.run(["callgrind_annotate", "--threshold=100", out],
                               check=True, capture_output=True, text=True).stdout
    total = openssl = 0
    for line in annotated.splitlines():
        if "PROGRAM TOTALS" in line:
            total = int(line.split()[0].replace(",", ""))
            continue
        m = FUNCTION_LINE.match(line)
        if m and "libcrypto" in os.path.basename(m.group(2)):
            openssl += int(m.group(1).replace(",", ""))
    if total == 0:
        sys.exit(f"perf: callgrind collected nothing for '{op}' (is the driver stripped?)")
    return round(total / n), round((total - openssl) / n)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("driver")
    parser.add_argument("--budgets", default=os.path.join(here, "budgets.json"))
    parser.add_argument("--n", type=int, default=1000, help="operations per run")
    parser.add_argument("--write-budgets", action="store_true")
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_annotate"):
        if not shutil.which(tool):
            sys.exit(f"perf: {tool} not found; scripts/setup installs valgrind")

    with tempfile.TemporaryDirectory() as workdir:
        measured = {}
        for op in OPERATIONS:
            total, outside = count(args.driver, op, args.n, workdir)
            measured[op] = {"total": total, "outside_openssl": outside}

    with open(args.budgets) as f:
        budgets = json.load(f)
    if args.write_budgets:
        budgets["operations"] = measured
        with open(args.budgets, "w") as f:
            json.dump(budgets, f, indent=2)
            f.write("\n")
        print(f"perf: wrote {args.budgets}: {json.dumps(measured)}")
        return 0

    margin = budgets["margin"]
    failed = False
    print(f"instructions per operation (callgrind, {args.n} operations, budget + {margin:.0%}):")
    for op in OPERATIONS:
        for figure in ("outside_openssl", "total"):
            budget = budgets["operations"][op][figure]
            limit = budget * (1 + margin)
            value = measured[op][figure]
            verdict = "ok" if value <= limit else "OVER BUDGET"
            failed |= value > limit
            print(f"  {op:4s} {figure:15s} measured {value:7,d}  budget {budget:7,d} "
                  f"(limit {limit:9,.0f}, {value / budget - 1:+.1%})  {verdict}")
    if failed:
        print("perf: instruction count over budget. If the increase is intended, say why in the "
              "commit and run `check_instructions.py DRIVER --write-budgets`.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
