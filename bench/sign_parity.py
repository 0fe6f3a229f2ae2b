"""Compares what presign signs with what another signer signs for the same inputs at the same
fixed time, and says how they differ (a report, not a check: libraries legitimately differ in
parameter order, endpoint style and extra parameters).

    python3 bench/sign_parity.py PRESIGN_PRINT OTHER_PRINT

Both files are `--print-signed` outputs: lines of `operation<TAB>value`, where the value is a
URL or a POST form as JSON. Operations are matched by name; `aws4_get_url` is compared with
presign's `get_url`. Prints one markdown bullet per compared operation.
"""

import base64
import json
import sys
import urllib.parse

ALIASES = {"aws4_get_url": "get_url"}


def read(path):
    with open(path) as f:
        return dict(line.rstrip("\n").split("\t", 1) for line in f if "\t" in line)


def compare_urls(ours, theirs):
    a, b = urllib.parse.urlsplit(ours), urllib.parse.urlsplit(theirs)
    qa, qb = urllib.parse.parse_qsl(a.query), urllib.parse.parse_qsl(b.query)
    if ours == theirs:
        return "byte-identical"
    notes = []
    if a.netloc != b.netloc:
        notes.append(f"host {b.netloc} (presign: {a.netloc})")
    if a.path != b.path:
        notes.append(f"path {b.path}")
    da, db = dict(qa), dict(qb)
    extra = sorted(set(db) - set(da))
    missing = sorted(set(da) - set(db))
    if extra:
        notes.append("extra parameters " + ", ".join(f"{k}={db[k]}" for k in extra))
    if missing:
        notes.append("missing " + ", ".join(missing))
    if [k for k, _ in qa] != [k for k, _ in qb if k in da]:
        notes.append("parameters in another order")
    same = da.get("X-Amz-Signature") == db.get("X-Amz-Signature")
    notes.append("same signature" if same else "different signature (different canonical request)")
    return "; ".join(notes)


def conditions(policy):
    """The conditions of a base64 policy, names lower-cased, in a canonical order."""
    lowered = [{k.lower(): v for k, v in c.items()} if isinstance(c, dict) else c
               for c in json.loads(base64.b64decode(policy))["conditions"]]
    return sorted(json.dumps(c) for c in lowered)


def compare_forms(ours, theirs):
    a, b = json.loads(ours), json.loads(theirs)
    fa = {k.lower(): v for k, v in a["fields"].items()}
    fb = {k.lower(): v for k, v in b["fields"].items()}
    notes = []
    if a["url"] != b["url"]:
        notes.append(f"url {b['url']} (presign: {a['url']})")
    extra = sorted(set(fb) - set(fa))
    if extra:
        notes.append("extra fields " + ", ".join(extra))
    if fa.get("policy") != fb.get("policy"):
        same = conditions(fa["policy"]) == conditions(fb["policy"])
        notes.append("policy JSON differs (" + ("same conditions, other order or spacing"
                                                if same else "other conditions") + ")")
    same_sig = fa.get("x-amz-signature") == fb.get("x-amz-signature")
    notes.append("same signature" if same_sig else "different signature")
    return "; ".join(notes)


def main():
    ours, theirs = read(sys.argv[1]), read(sys.argv[2])
    for name, value in theirs.items():
        base = ALIASES.get(name, name)
        if base not in ours:
            continue
        compare = compare_forms if base == "post" else compare_urls
        print(f"- {name}: {compare(ours[base], value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
