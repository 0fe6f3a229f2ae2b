"""The report of bench/compare: one markdown document from the raw outputs of bench/run-signing,
bench/run-api, bench/run-store, bench/run-rgw and bench/idle-memory, plus the data files of
its charts.

    python3 bench/compare_report.py OUT CHART_DATA_DIR > bench/results.md

OUT is bench/compare's output directory (signing/, api/, store/, rgw/, idle-memory.json,
machine.txt, steps.txt). Every figure is a median with its spread (min–max) over the runs that
produced it; every goal row says met or not met with the figure. A measurement that did not
run is reported as "not measured", never guessed.
"""

import glob
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_report  # noqa: E402
import store_report  # noqa: E402

NOT_MEASURED = "not measured"


def spread(samples, digits):
    """'median (min–max)' of the samples, or 'not measured'."""
    if not samples:
        return NOT_MEASURED
    med = statistics.median(samples)
    if len(samples) == 1:
        return f"{med:,.{digits}f}"
    return f"{med:,.{digits}f} ({min(samples):,.{digits}f}–{max(samples):,.{digits}f})"


def median(samples):
    return statistics.median(samples) if samples else None


def status(ok, figure):
    return f"{'met' if ok else '**not met**'} ({figure})"


def read_lines(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return dict(line.rstrip("\n").partition(": ")[::2] for line in f if ": " in line)


# --- signing -----------------------------------------------------------------------------------

def signing_runs(out):
    """name -> every run's µs per operation, over all rounds, for presign, boto3 and node."""
    runs = {}
    units = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
    for path in glob.glob(os.path.join(out, "presign-round-*.json")):
        for b in json.load(open(path))["benchmarks"]:
            if b.get("run_type") == "iteration":
                runs.setdefault("presign:" + b["run_name"], []).append(
                    b["real_time"] * units[b["time_unit"]])
    for side in ("boto3", "node"):
        for path in glob.glob(os.path.join(out, f"{side}-round-*.jsonl")):
            for line in open(path):
                r = json.loads(line)
                runs.setdefault(f"{side}:{r['name']}", []).extend(r["runs_us"])
    return runs


SIGNING_ROWS = [  # label, {column: run name}
    ("presigned GET URL", {"presign": "presign:presign_get_url_append",
                           "botocore": "boto3:presign_get_url",
                           "@aws-sdk": "node:sdk_presign_get_url",
                           "aws4": "node:aws4_presign_get_url"}),
    ("presigned POST policy", {"presign": "presign:presign_post_policy",
                               "botocore": "boto3:presign_post_policy",
                               "@aws-sdk": "node:sdk_presign_post_policy"}),
]
SIGNING_COLUMNS = ["presign", "botocore", "@aws-sdk", "aws4"]


def signing_section(out, data_dir, goals):
    runs = signing_runs(out)
    lines = ["## Signing (µs per operation, one pinned core; lower is better)", "",
             "| operation | " + " | ".join(SIGNING_COLUMNS) + " |",
             "|---|" + "---:|" * len(SIGNING_COLUMNS)]
    chart = []
    for label, cols in SIGNING_ROWS:
        cells = [spread(runs.get(cols[c], []), 2) if c in cols else "—" for c in SIGNING_COLUMNS]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
        meds = [median(runs.get(cols.get(c, ""), [])) for c in SIGNING_COLUMNS]
        chart.append(f'"{label}" ' + " ".join("-" if m is None else f"{m:.4f}" for m in meds))
    write(data_dir, "signing.dat", chart)
    for label, cols, max_us, min_ratio in (("presigned GET URL", SIGNING_ROWS[0][1], 0.5, 400),
                                           ("POST policy", SIGNING_ROWS[1][1], 2.0, 40)):
        ours, boto = median(runs.get(cols["presign"], [])), median(runs.get(cols["botocore"], []))
        if ours is None:
            goals.append((f"{label} ≤ {max_us} µs", NOT_MEASURED))
            continue
        goals.append((f"{label} ≤ {max_us} µs", status(ours <= max_us, f"{ours:.3f} µs")))
        if boto is not None:
            goals.append((f"{label} ≥ {min_ratio}× botocore",
                          status(boto / ours >= min_ratio, f"{boto / ours:,.0f}×")))
    parity = os.path.join(out, "parity-node.md")
    lines += ["", "Output compared at a fixed signing time: presign and botocore "
              + ("byte-identical." if os.path.exists(os.path.join(out, "parity.diff"))
                 and os.path.getsize(os.path.join(out, "parity.diff")) == 0
                 else "differ (see bench/out/.../parity.diff).")]
    if os.path.exists(parity):
        lines += ["Node signers against presign:", "", open(parity).read().rstrip()]
    return lines


# --- API ---------------------------------------------------------------------------------------

API_SERVERS = [("presign", "presign serve"), ("flask", "Flask + boto3"),
               ("node", "Node 1 process"), ("node-cluster", "Node cluster (2)")]


def api_section(out, data_dir, goals):
    problems = []
    runs = api_report.wrk_runs(out, problems) if os.path.isdir(out) else {}
    nginx = [r["rps"] for r in runs.get(("nginx", "static-4k"), [])]
    lines = ["## API (requests/s, wrk -t2 -c32 on the same 2 CPUs; higher is better)", "",
             "| route | " + " | ".join(n for _, n in API_SERVERS) +
             " | nginx static 4 KiB | presign p99 ms |",
             "|---|" + "---:|" * (len(API_SERVERS) + 2)]
    chart = []
    for route in ("get-upload-url", "get-download-url"):
        rps = {s: [r["rps"] for r in runs.get((s, route), [])] for s, _ in API_SERVERS}
        p99 = [r["99"] for r in runs.get(("presign", route), [])]
        lines.append(f"| POST /{route} | " + " | ".join(spread(rps[s], 0) for s, _ in API_SERVERS)
                     + f" | {spread(nginx, 0)} | {spread(p99, 2)} |")
        meds = [median(rps[s]) for s, _ in API_SERVERS] + [median(nginx)]
        chart.append(f'"/{route}" ' + " ".join("-" if m is None else f"{m:.0f}" for m in meds))
        ours, cluster = median(rps["presign"]), median(rps["node-cluster"])
        for label, peer, goal in (("≥ 3× Node cluster", cluster, 3.0),
                                  ("≥ 0.8× nginx static", median(nginx), 0.8)):
            name = f"API {route} {label}"
            if ours is None or peer is None:
                goals.append((name, NOT_MEASURED))
            else:
                goals.append((name, status(ours / peer >= goal, f"{ours / peer:.2f}×")))
        goals.append((f"API {route} p99 < 2 ms", status(median(p99) < 2, f"{median(p99):.2f} ms")
                      if p99 else NOT_MEASURED))
    write(data_dir, "api.dat", chart)
    return lines + [f"- {p}" for p in problems]


# --- store -------------------------------------------------------------------------------------

# Shorter x labels for the store chart, where five groups share the width.
CHART_LABELS = {"durable PUT 256 MiB": "PUT 256 MiB, 1 core",
                "durable PUT 256 MiB, both cores": "PUT, 2 cores",
                "POST-form 1 MiB × 64": "POST-form ×64"}


def store_section(store_out, rgw_out, idle, data_dir, goals):
    problems = []
    have_store = os.path.exists(os.path.join(store_out, "get.txt"))
    have_rgw = os.path.exists(os.path.join(rgw_out, "get.txt"))
    get = store_report.gets(store_out, problems) if have_store else {}
    put = store_report.puts(store_out, problems) if have_store else {}
    put_both = store_report.puts(store_out, problems, "put-both.txt") if have_store else {}
    if have_rgw:
        get.update(store_report.gets(rgw_out, problems))
        put.update(store_report.puts(rgw_out, problems))
        put_both.update(store_report.puts(rgw_out, problems, "put-both.txt"))

    def wrk(out, side):
        return store_report.wrk_runs(out, side, problems) if os.path.isdir(out) else []

    small = {"store": wrk(store_out, "store"), "nginx": wrk(store_out, "nginx"),
             "rgw": wrk(rgw_out, "rgw")}
    post = {"store": wrk(rgw_out, "post-store"), "rgw": wrk(rgw_out, "post-rgw")}
    mbps = {}  # (row, side) -> samples
    for size, label in (("256m", "GET 256 MiB"), ("1g", "GET 1 GiB")):
        for side in ("store", "nginx", "rgw"):
            mbps[(label, side)] = [r[0] for r in get.get((side, size), [])]
    for side in ("store", "nginx", "rgw"):
        mbps[("durable PUT 256 MiB", side)] = [r[2] for r in put.get(side, [])]
        mbps[("durable PUT 256 MiB, both cores", side)] = [r[2] for r in put_both.get(side, [])]
        mbps[("POST-form 1 MiB × 64", side)] = [r["rps"] * (1 << 20) / 1e6
                                                 for r in post.get(side, [])]
    lines = ["## Store (one stream unless said; MB/s = 10^6 B/s; higher is better)", "",
             "| measurement | presign store | nginx | Ceph RGW (memstore) |", "|---|---:|---:|---:|"]
    chart = []
    for row in ("GET 256 MiB", "GET 1 GiB", "durable PUT 256 MiB",
                "durable PUT 256 MiB, both cores", "POST-form 1 MiB × 64"):
        cells = [spread(mbps[(row, s)], 0) for s in ("store", "nginx", "rgw")]
        if row == "POST-form 1 MiB × 64":
            cells[1] = "—"
        lines.append(f"| {row}, MB/s | " + " | ".join(cells) + " |")
        chart.append(f'"{CHART_LABELS.get(row, row)}" ' + " ".join(
            "-" if not mbps[(row, s)] or cells[i] == "—" else f"{median(mbps[(row, s)]):.0f}"
            for i, s in enumerate(("store", "nginx", "rgw"))))
    ups = {s: [r["rps"] for r in post[s]] for s in post}
    lines.append("| POST-form 1 MiB × 64, uploads/s | " + spread(ups["store"], 1) + " | — | "
                 + spread(ups["rgw"], 1) + " |")
    rps = {s: [r["rps"] for r in small[s]] for s in small}
    lines.append("| 4 KiB presigned GETs, wrk -c32, requests/s | "
                 + " | ".join(spread(rps[s], 0) for s in ("store", "nginx", "rgw")) + " |")
    p99 = {s: [r["99"] for r in small[s]] for s in small}
    lines.append("| 4 KiB GETs, p99 ms | " + " | ".join(spread(p99[s], 2)
                                                       for s in ("store", "nginx", "rgw")) + " |")
    write(data_dir, "store.dat", chart)
    write(data_dir, "store-4k.dat", ['"4 KiB GETs" ' + " ".join(
        "-" if not rps[s] else f"{median(rps[s]):.0f}" for s in ("store", "nginx", "rgw"))])

    def ratio_goal(name, ours, peer, goal):
        if not ours or not peer:
            goals.append((name, NOT_MEASURED))
        else:
            r = median(ours) / median(peer)
            goals.append((name, status(r >= goal, f"{r:.2f}×")))

    for row in ("GET 256 MiB", "GET 1 GiB"):
        ratio_goal(f"store {row} ≥ 0.9× nginx", mbps[(row, "store")], mbps[(row, "nginx")], 0.9)
    ratio_goal("durable PUT ≥ 0.8× nginx + fsync", mbps[("durable PUT 256 MiB", "store")],
               mbps[("durable PUT 256 MiB", "nginx")], 0.8)
    ratio_goal("durable PUT ≥ 3× RGW (memstore, not durable)",
               mbps[("durable PUT 256 MiB", "store")], mbps[("durable PUT 256 MiB", "rgw")], 3)
    both = "durable PUT 256 MiB, both cores"
    ratio_goal("durable PUT, both cores free ≥ 0.8× nginx + fsync", mbps[(both, "store")],
               mbps[(both, "nginx")], 0.8)
    ratio_goal("durable PUT, both cores free ≥ 3× RGW (memstore, not durable)",
               mbps[(both, "store")], mbps[(both, "rgw")], 3)
    ratio_goal("4 KiB GETs ≥ 0.6× nginx req/s", rps["store"], rps["nginx"], 0.6)
    ratio_goal("POST-form 1 MiB × 64 ≥ 3× RGW", ups["store"], ups["rgw"], 3)
    machine = read_lines(os.path.join(store_out, "machine.txt"))
    rss = machine.get("rss_upload_1g_peak_kb")
    goals.append(("store RSS during a 1 GiB upload < 64 MiB",
                  status(int(rss) < 64 * 1024, f"{int(rss) / 1024:.1f} MiB") if rss
                  else NOT_MEASURED))
    if idle:
        per = idle["per_connection_bytes"]
        goals.append(("store memory per idle connection < 16 KiB",
                      status(per < 16 * 1024, f"{per / 1024:.1f} KiB over "
                             f"{idle['connections']} connections")))
    else:
        goals.append(("store memory per idle connection < 16 KiB", NOT_MEASURED))
    rgw_machine = read_lines(os.path.join(rgw_out, "machine.txt"))
    notes = ["", "RGW is a throwaway Ceph cluster (" + rgw_machine.get("radosgw", "version unknown")
             + ") on loopback with one memstore OSD: its PUT is **not durable** (objects "
             "live in memory), unlike the store's (fsync, rename, directory fsync) and nginx's "
             "(WebDAV PUT plus fsync of file and directory). RGW's GET/PUT/4 KiB figures come "
             "from bench/run-rgw, the store's and nginx's from bench/run-store, minutes apart; "
             "the POST-form figures of the store and RGW come from the same run, alternating."]
    for side in ("store", "rgw"):
        check = rgw_machine.get(f"post check {side}")
        if check:
            notes.append(f"POST-form check on {side}: `{check}` (status, bytes of one upload read back).")
    return lines + notes + [f"- {p}" for p in problems]


def write(data_dir, name, rows):
    with open(os.path.join(data_dir, name), "w") as f:
        f.write("\n".join(rows) + "\n")


def main():
    out, data_dir = sys.argv[1], sys.argv[2]
    os.makedirs(data_dir, exist_ok=True)
    machine = read_lines(os.path.join(out, "machine.txt"))
    idle_path = os.path.join(out, "idle-memory.json")
    idle = json.load(open(idle_path)) if os.path.exists(idle_path) else None
    goals = []
    body = signing_section(os.path.join(out, "signing"), data_dir, goals)
    body += [""] + api_section(os.path.join(out, "api"), data_dir, goals)
    body += [""] + store_section(os.path.join(out, "store"), os.path.join(out, "rgw"), idle,
                                 data_dir, goals)
    print("# Benchmark results (`bench/compare`)\n")
    if machine.get("label"):
        print(f"**{machine['label']}**\n")
    for key in ("date", "commit", "mode", "cpu", "nproc", "kernel", "peers", "node",
                "python (botocore signing)", "python (Flask peer, /usr/bin/python3)",
                "load before", "load after", "duration"):
        if key in machine:
            print(f"- {key}: {machine[key]}")
    print("\nEvery cell: median (min–max) over the runs; the settings of each step are in "
          "`bench/README.md` (\"bench/compare\").\n")
    print("![signing](charts/signing.png) ![API](charts/api.png) ![store](charts/store.png) "
          "![4 KiB GETs](charts/store-4k.png)\n")
    print("## Goals\n\n| goal | status (measured) |\n|---|---|")
    for name, verdict in goals:
        print(f"| {name} | {verdict} |")
    print()
    print("\n".join(body))
    steps = os.path.join(out, "steps.txt")
    if os.path.exists(steps):
        print("\n## Steps\n\n| step | seconds | exit status |\n|---|---:|---:|")
        for line in open(steps):
            print("| " + " | ".join(line.split()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
