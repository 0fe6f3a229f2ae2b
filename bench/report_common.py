"""What the benchmark reports share: the machine description, how busy the CPUs were, wrk's
durations, and how a ratio and a goal's verdict are written."""

import os
import re


def read_machine(out):
    """machine.txt's 'key: value' lines as a dict."""
    info = {}
    with open(os.path.join(out, "machine.txt")) as f:
        for line in f:
            key, _, value = line.partition(": ")
            info[key.strip()] = value.strip()
    return info


def cpu_busy(out):
    """cpuN -> percent busy between the cpu-before and cpu-after snapshots of /proc/stat."""
    def read(name):
        counters = {}
        with open(os.path.join(out, name)) as f:
            for line in f:
                cpu, *fields = line.split()
                v = [int(x) for x in fields[:8]]
                counters[cpu] = (sum(v) - v[3] - v[4], sum(v))
        return counters
    before, after = read("cpu-before"), read("cpu-after")
    return {cpu: 100.0 * (after[cpu][0] - before[cpu][0]) / max(1, after[cpu][1] - before[cpu][1])
            for cpu in sorted(after)}


def parse_duration(text):
    """wrk's '1.23ms' / '850.00us' / '1.02s' -> milliseconds."""
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}[unit]


def times(ratio, goal=None):
    """'0.87×'; three decimals when two would round onto the goal and hide the verdict."""
    digits = 3 if goal is not None and abs(ratio - goal) < 0.005 else 2
    return f"{ratio:.{digits}f}×"


def verdict(ok):
    return "met" if ok else "**NOT met**"
