"""The markdown table of bench/run-store, from the raw files it leaves in bench/out/store/.

    python3 bench/store_report.py bench/out/store

Reads machine.txt, get.txt, put.txt, put-1g.txt, wrk-*.txt, cpu-before/after and
expect-100.txt; prints the header lines, the side-by-side table, the details and the goals.
MB/s are decimal (10^6 bytes per second); sizes are binary (MiB, GiB).
"""

import glob
import os
import re
import statistics
import sys

from report_common import cpu_busy, parse_duration, read_machine, times, verdict

SIZES = {"4k": 4096, "256m": 256 << 20, "1g": 1 << 30}
SIZE_NAMES = {"256m": "256 MiB", "1g": "1 GiB"}


def read_rows(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


def gets(out, problems):
    """(side, size) -> [(MB/s, server CPU seconds per GiB)], only complete 200 responses."""
    result = {}
    for side, size, rep, code, got, seconds, cpu_ns in read_rows(os.path.join(out, "get.txt")):
        if code != "200" or int(got) != SIZES[size]:
            problems.append(f"GET {size} {side} round {rep}: status {code}, {got} bytes")
            continue
        result.setdefault((side, size), []).append(
            (int(got) / float(seconds) / 1e6, int(cpu_ns) / 1e9 * (1 << 30) / int(got)))
    return result


def puts(out, problems, name="put.txt"):
    """side -> list of (seconds to the response, seconds of the later fsyncs, MB/s overall,
    server CPU seconds per GiB), from NAME (put.txt: pinned; put-both.txt: both cores free)."""
    result = {}
    for side, rep, code, sent, seconds, sync, cpu_ns in read_rows(os.path.join(out, name)):
        if code not in ("200", "201", "204") or int(sent) != SIZES["256m"]:
            problems.append(f"PUT 256 MiB {side} round {rep}: status {code}, {sent} bytes sent")
            continue
        total = float(seconds) + float(sync)
        result.setdefault(side, []).append((float(seconds), float(sync), int(sent) / total / 1e6,
                                            int(cpu_ns) / 1e9 * (1 << 30) / int(sent)))
    return result


def wrk_runs(out, side, problems):
    runs = []
    for path in sorted(glob.glob(os.path.join(out, f"wrk-{side}-*.txt"))):
        text = open(path).read()
        rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
        if not rps:
            problems.append(f"{os.path.basename(path)}: no result")
            continue
        run = {"rps": float(rps.group(1))}
        total = re.search(r"(\d+) requests in", text)
        cpu_path = path[:-len(".txt")] + ".cpu"
        if total and os.path.exists(cpu_path):
            run["cpu_us"] = int(open(cpu_path).read()) / 1e3 / int(total.group(1))
        for pct in ("50", "75", "90", "99"):
            m = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
            run[pct] = parse_duration(m.group(1)) if m else float("nan")
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        errors = re.search(r"Socket errors: (.*)", text)
        if bad:
            problems.append(f"{os.path.basename(path)}: {bad.group(1)} non-2xx/3xx responses")
        if errors:
            problems.append(f"{os.path.basename(path)}: socket errors {errors.group(1)}")
        runs.append(run)
    return runs


def median_of(rows, index):
    return statistics.median(r[index] for r in rows)


def span(values, digits=0):
    return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


def main(out):
    problems = []
    info = read_machine(out)
    busy = cpu_busy(out)
    get = gets(out, problems)
    put = puts(out, problems)
    wrk = {side: wrk_runs(out, side, problems) for side in ("store", "nginx")}

    print()
    print(f"Machine: {info.get('cpu', '?')}; kernel {info.get('kernel', '?')}; "
          f"{info.get('date', '?')}; source {info.get('source', '?')}")
    print(f"Peers: nginx {info.get('nginx', '?')}; {info.get('pinning', '?')}; "
          f"data on {next((v for k, v in info.items() if k.startswith('filesystem')), '?')}")
    print(f"Runs: {info.get('reps', '?')} per side for each GET and PUT; wrk: {info.get('wrk', '?')}")
    print(f"Load: {info.get('loadavg before', '?')} before, {info.get('loadavg after', '?')} after "
          f"(1/5/15-min load, running/total); other work, servers idle, 2 s before: "
          f"{info.get('background cpu busy before (2 s, servers idle)', '?')} % busy "
          f"(after waiting {info.get('waited for a quieter machine', '?')})")
    print("CPU busy during the measurements: " + ", ".join(f"{c} {b:.0f}%" for c, b in busy.items()))
    background = info.get("background cpu busy before (2 s, servers idle)", "")
    if any(int(v) > 20 for v in re.findall(r"=(\d+)", background)):
        print("**Warning: other work was running on the machine (see the background line); "
              "both columns share it, but absolute figures are lower and noisier than on an idle "
              "machine.**")
    print()

    rows, goals = [], []
    print("| measurement | presign store | nginx | store / nginx | goal |")
    print("|---|---:|---:|---:|---|")
    for size in ("256m", "1g"):
        s, n = get.get(("store", size)), get.get(("nginx", size))
        if s and n:
            ratio = median_of(s, 0) / median_of(n, 0)
            print(f"| GET {SIZE_NAMES[size]}, one stream, MB/s (median, min–max) | "
                  f"{median_of(s, 0):.0f} ({span([r[0] for r in s])}) | {median_of(n, 0):.0f} "
                  f"({span([r[0] for r in n])}) | {times(ratio, 0.9)} | ≥ 0.9×: {verdict(ratio >= 0.9)} |")
            goals.append((f"GET {SIZE_NAMES[size]} ≥ 0.9× nginx", times(ratio, 0.9), ratio >= 0.9))
    s, n = get.get(("store", "1g")), get.get(("nginx", "1g"))
    if s and n:
        print(f"| GET 1 GiB, server CPU s per GiB sent (median) | {median_of(s, 1):.2f} | "
              f"{median_of(n, 1):.2f} | {median_of(s, 1) / median_of(n, 1):.2f}× | — |")
    both = puts(out, problems, "put-both.txt")
    for runs, label, cpu_label, goal in (
            (put, "durable PUT 256 MiB, MB/s (median, min–max); nginx: WebDAV PUT + fsync file and "
             "directory", "PUT 256 MiB, server CPU s per GiB received (median; nginx: worker, "
             "without the fsync step)", "durable PUT 256 MiB ≥ 0.8× nginx + fsync"),
            (both, "durable PUT 256 MiB, both cores free (servers and curl unpinned), MB/s",
             "PUT 256 MiB both cores, server CPU s per GiB received",
             "durable PUT 256 MiB, both cores ≥ 0.8× nginx + fsync")):
        s, n = runs.get("store"), runs.get("nginx")
        if not (s and n):
            continue
        sm, nm = median_of(s, 2), median_of(n, 2)
        ratio = sm / nm
        print(f"| {label} | {sm:.0f} ({span([r[2] for r in s])}) | {nm:.0f} "
              f"({span([r[2] for r in n])}) | {times(ratio, 0.8)} | ≥ 0.8×: {verdict(ratio >= 0.8)} |")
        print(f"| {cpu_label} | {median_of(s, 3):.2f} | {median_of(n, 3):.2f} | "
              f"{median_of(s, 3) / median_of(n, 3):.2f}× | — |")
        goals.append((goal, times(ratio, 0.8), ratio >= 0.8))
    ws, wn = wrk["store"], wrk["nginx"]
    if ws and wn:
        rs, rn = statistics.median(r["rps"] for r in ws), statistics.median(r["rps"] for r in wn)
        ratio = rs / rn
        print(f"| 4 KiB GETs, wrk keep-alive {info.get('wrk connections', '?')} connections, requests/s "
              f"(median of runs) | {rs:,.0f} | {rn:,.0f} | {times(ratio, 0.6)} | ≥ 0.6×: "
              f"{verdict(ratio >= 0.6)} |")
        for pct in ("50", "99"):
            ls, ln = (statistics.median(r[pct] for r in ws), statistics.median(r[pct] for r in wn))
            print(f"| 4 KiB GETs, latency p{pct} (ms) | {ls:.2f} | {ln:.2f} | {ls / ln:.2f}× | — |")
        if all("cpu_us" in r for r in ws + wn):
            cs, cn = (statistics.median(r["cpu_us"] for r in ws),
                      statistics.median(r["cpu_us"] for r in wn))
            print(f"| 4 KiB GETs, server CPU µs per request | {cs:.1f} | {cn:.1f} | "
                  f"{cs / cn:.2f}× | — |")
        goals.append(("4 KiB presigned GETs ≥ 0.6× nginx req/s", times(ratio, 0.6), ratio >= 0.6))
    upload_kb = int(info.get("rss_upload_1g_peak_kb", "0") or 0)
    get_kb = int(info.get("rss_get_peak_kb", "0") or 0)
    if upload_kb:
        print(f"| store peak RSS (VmHWM) during the 1 GiB PUT | {upload_kb / 1024:.1f} MiB | — | — | "
              f"< 64 MiB: {verdict(upload_kb < 64 * 1024)} |")
        goals.append(("RSS < 64 MiB during a 1 GiB upload", f"{upload_kb / 1024:.1f} MiB",
                      upload_kb < 64 * 1024))
    if get_kb:
        print(f"| store peak RSS (VmHWM) during all the GETs | {get_kb / 1024:.1f} MiB | — | — | — |")

    print()
    print("Details:")
    for size in ("256m", "1g"):
        ref, s = get.get(("nginx-nosendfile", size)), get.get(("store", size))
        if ref and s:
            print(f"- GET {SIZE_NAMES[size]}, nginx with `sendfile off` (read + write, like the "
                  f"store): {median_of(ref, 0):.0f} MB/s ({span([r[0] for r in ref])}), "
                  f"{median_of(ref, 1):.2f} CPU s/GiB; store / that: "
                  f"{median_of(s, 0) / median_of(ref, 0):.2f}×")
        n = get.get(("nginx", size))
        if s and n and size == "256m":
            print(f"- GET 256 MiB, server CPU s per GiB: store {median_of(s, 1):.2f}, nginx "
                  f"{median_of(n, 1):.2f}")
    if s := put.get("store"):
        print(f"- store PUT 256 MiB: {statistics.median(r[0] for r in s):.3f} s to the response "
              f"(fsyncs included), median")
    if n := put.get("nginx"):
        print(f"- nginx PUT 256 MiB: {statistics.median(r[0] for r in n):.3f} s to the 201 "
              f"(no fsync: {SIZES['256m'] / statistics.median(r[0] for r in n) / 1e6:.0f} MB/s), then "
              f"{statistics.median(r[1] for r in n):.3f} s for fsync(file) + fsync(dir), medians")
    one = read_rows(os.path.join(out, "put-1g.txt"))
    if one and one[0][0] == "200":
        print(f"- store PUT 1 GiB (the RSS run, once): {int(one[0][1]) / float(one[0][2]) / 1e6:.0f} "
              f"MB/s")
    for side in ("store", "nginx"):
        for i, r in enumerate(wrk[side], 1):
            print(f"- wrk {side} run {i}: {r['rps']:,.0f} req/s; latency p50 {r['50']:.2f} ms, "
                  f"p75 {r['75']:.2f}, p90 {r['90']:.2f}, p99 {r['99']:.2f}"
                  + (f"; server CPU {r['cpu_us']:.1f} µs/request" if "cpu_us" in r else ""))
    for side, code, seconds in read_rows(os.path.join(out, "expect-100.txt")):
        print(f"- 4 KiB PUT with curl's default `Expect: 100-continue`: {side} {code} in "
              f"{float(seconds) * 1000:.0f} ms" +
              (" (curl gave up waiting for 100 Continue after 1 s)"
               if float(seconds) > 0.9 else ""))
    print(f"- store threads: {info.get('store_threads', '?')}; RSS at start "
          f"{int(info.get('rss_start_kb', '0') or 0) / 1024:.1f} MiB")

    print()
    print("Goals:")
    for label, measured, ok in goals:
        print(f"- {label}: {measured} — {verdict(ok)}")
    if problems:
        print()
        print("**Problems (these runs are left out of the figures):**")
        for p in problems:
            print(f"- {p}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/out/store")
