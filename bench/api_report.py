"""The markdown table of bench/run-api, from the raw files it leaves in bench/out/api/.

    python3 bench/api_report.py bench/out/api

Reads machine.txt, check.txt, cpu-before/after and every wrk-SERVER-ROUTE-REP.txt with its
.cpu (the server's CPU time, ns, all its processes and threads) and .busy (/proc/stat's "cpu"
line before and after: how busy the whole machine was, wrk included). Prints the header lines,
one table row per server and route (median of the repetitions, min–max), the ratios and the
goals. A run with non-2xx answers is reported and left out of the figures; socket errors
(timeouts: requests slower than 2 s) are reported and kept.
"""

import glob
import os
import re
import statistics
import sys

from report_common import cpu_busy, parse_duration, read_machine, times, verdict

SERVERS = ["presign", "flask", "node", "node-cluster", "nginx"]
ROUTES = {"get-upload-url": "POST /get-upload-url", "get-download-url": "POST /get-download-url",
          "static-4k": "GET static 4 KiB file"}
NAMES = {"presign": "presign serve", "flask": "Flask + boto3 (gunicorn)",
         "node": "Node http + AWS SDK v3, 1 process", "node-cluster": "Node, cluster of 2",
         "nginx": "nginx, static 4 KiB file"}
GOAL_VS_CLUSTER, GOAL_VS_NGINX, GOAL_P99_MS = 3.0, 0.8, 2.0


def machine_busy(path):
    """Percent of both CPUs busy between the two /proc/stat 'cpu' lines of a .busy file."""
    with open(path) as f:
        rows = [[int(x) for x in line.split()[1:9]] for line in f if line.startswith("cpu ")]
    if len(rows) != 2:
        return float("nan")
    (a, b) = rows
    busy = (sum(b) - b[3] - b[4]) - (sum(a) - a[3] - a[4])
    return 100.0 * busy / max(1, sum(b) - sum(a))


def wrk_runs(out, problems):
    """(server, route) -> list of runs: rps, p50/p75/p90/p99 (ms), cpu_us, busy."""
    runs = {}
    for path in sorted(glob.glob(os.path.join(out, "wrk-*-*.txt"))):
        m = re.fullmatch(r"wrk-(.+)-(get-upload-url|get-download-url|static-4k)-(\d+)\.txt",
                         os.path.basename(path))
        if not m:
            continue
        server, route, rep = m.groups()
        text = open(path).read()
        label = f"{server} {route} repetition {rep}"
        rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
        if not rps:
            problems.append(f"{label}: no result ({text.strip()[:200]})")
            continue
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        if bad:
            problems.append(f"{label}: {bad.group(1)} non-2xx/3xx responses (left out)")
            continue
        errors = re.search(r"Socket errors: (.*)", text)
        if errors:  # kept: a timeout is a request slower than wrk's 2 s, part of the result
            problems.append(f"{label}: socket errors {errors.group(1)} (kept in the figures)")
        run = {"rep": int(rep), "rps": float(rps.group(1))}
        for pct in ("50", "75", "90", "99"):
            p = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
            run[pct] = parse_duration(p.group(1)) if p else float("nan")
        total = re.search(r"(\d+) requests in", text)
        base = path[:-len(".txt")]
        if total and os.path.exists(base + ".cpu"):
            run["cpu_us"] = int(open(base + ".cpu").read()) / 1e3 / int(total.group(1))
        if os.path.exists(base + ".busy"):
            run["busy"] = machine_busy(base + ".busy")
        if "cpu_us" in run:  # CPUs the server kept busy: the rest went to wrk (and other work)
            run["cores"] = run["cpu_us"] * run["rps"] / 1e6
        runs.setdefault((server, route), []).append(run)
    return runs


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def span(runs, key, digits=0):
    values = [r[key] for r in runs]
    return f"{min(values):,.{digits}f}–{max(values):,.{digits}f}"


def print_header(info, busy):
    print()
    print(f"Machine: {info.get('cpu', '?')}; kernel {info.get('kernel', '?')}; "
          f"{info.get('date', '?')}; source {info.get('source', '?')}")
    print(f"wrk: {info.get('wrk', '?')}")
    print(f"Peers: {info.get('flask', '?')}; node {info.get('node', '?')}; "
          f"nginx {info.get('nginx', '?')}")
    print(f"Load: {info.get('loadavg before', '?')} before, {info.get('loadavg after', '?')} after "
          f"(1/5/15-min load, running/total); "
          f"other work, servers idle, 2 s before: "
          f"{info.get('background cpu busy before (2 s, servers idle)', '?')} % busy "
          f"(after waiting {info.get('waited for a quieter machine', '?')})")
    print("CPU busy during the measurements: " + ", ".join(f"{c} {b:.0f}%" for c, b in busy.items())
          + " (wrk and the server share both)")
    background = info.get("background cpu busy before (2 s, servers idle)", "")
    if any(int(v) > 20 for v in re.findall(r"=(\d+)", background)):
        print("**Warning: other work was running on the machine before the run; absolute figures "
              "are lower and noisier than on an idle machine.**")


def print_table(runs):
    print()
    print("| server | route | requests/s, median (min–max) | p50 ms | p99 ms, median (min–max) "
          "| server CPU µs/request | server CPUs busy (of 2) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for route in ROUTES:
        for server in SERVERS:
            r = runs.get((server, route))
            if not r:
                continue
            cpu = f"{med(r, 'cpu_us'):.1f}" if all("cpu_us" in x for x in r) else "—"
            busy = f"{med(r, 'cores'):.2f}" if all("cores" in x for x in r) else "—"
            print(f"| {NAMES[server]} | {ROUTES[route]} | {med(r, 'rps'):,.0f} "
                  f"({span(r, 'rps')}) | {med(r, '50'):.2f} | {med(r, '99'):.2f} "
                  f"({span(r, '99', 2)}) | {cpu} | {busy} |")


def goals(runs):
    """Prints the ratios and the goals; returns nothing."""
    print()
    print("| route | presign / Node cluster (goal ≥ 3×) | presign / nginx static (goal ≥ 0.8×) "
          "| presign p99, median (worst) (goal < 2 ms) |")
    print("|---|---:|---:|---:|")
    verdicts = []
    nginx = runs.get(("nginx", "static-4k"))
    for route in ("get-upload-url", "get-download-url"):
        p = runs.get(("presign", route))
        if not p:
            continue
        cells = []
        c = runs.get(("node-cluster", route))
        if c:
            ratio = med(p, "rps") / med(c, "rps")
            cells.append(f"{times(ratio, GOAL_VS_CLUSTER)}: {verdict(ratio >= GOAL_VS_CLUSTER)}")
            verdicts.append((f"{route}: ≥ 3× the Node cluster", times(ratio), ratio >= 3))
        else:
            cells.append("—")
        if nginx:
            ratio = med(p, "rps") / med(nginx, "rps")
            cells.append(f"{times(ratio, GOAL_VS_NGINX)}: {verdict(ratio >= GOAL_VS_NGINX)}")
            verdicts.append((f"{route}: ≥ 0.8× nginx static", times(ratio), ratio >= 0.8))
        else:
            cells.append("—")
        p99 = med(p, "99")
        cells.append(f"{p99:.2f} ms ({max(x['99'] for x in p):.2f}): {verdict(p99 < GOAL_P99_MS)}")
        verdicts.append((f"{route}: p99 < 2 ms", f"{p99:.2f} ms", p99 < GOAL_P99_MS))
        print(f"| {ROUTES[route]} | " + " | ".join(cells) + " |")
    print()
    print("Goals:")
    for label, measured, ok in verdicts:
        print(f"- {label}: {measured} — {verdict(ok)}")


def main(out):
    problems = []
    info = read_machine(out)
    runs = wrk_runs(out, problems)
    print_header(info, cpu_busy(out))
    check = os.path.join(out, "check.txt")
    if os.path.exists(check):
        print()
        print("Check before measuring (bench/api_check.py):")
        print()
        print("```")
        print(open(check).read().rstrip())
        print("```")
    print_table(runs)
    goals(runs)
    print()
    print("Every repetition (requests/s, p99 ms, server CPU µs/request):")
    for (server, route), r in sorted(runs.items()):
        print(f"- {server} {route}: " + "; ".join(
            f"{x['rps']:,.0f} req/s, p99 {x['99']:.2f}"
            + (f", {x['cpu_us']:.1f} µs" if "cpu_us" in x else "") for x in r))
    if problems:
        print()
        print("**Problems:**")
        for p in problems:
            print(f"- {p}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/out/api")
