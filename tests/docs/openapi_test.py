#!/usr/bin/env python3
"""docs/openapi.yaml is a valid OpenAPI 3 document and describes exactly the routes the server
has: every (method, path) of `presign serve --print-routes` is documented and nothing else is.

Usage: openapi_test.py /path/to/presign /path/to/docs/openapi.yaml"""
import subprocess
import sys

import yaml
from openapi_spec_validator import validate

presign, doc_path = sys.argv[1], sys.argv[2]
with open(doc_path) as f:
    doc = yaml.safe_load(f)
validate(doc)  # raises with the first problem

documented = {(method.upper(), path) for path, item in doc["paths"].items()
              for method in item if method in ("get", "post", "put", "delete", "head", "patch")}
out = subprocess.run([presign, "serve", "--print-routes"], capture_output=True, text=True, check=True).stdout
served = {tuple(line.split(" ", 1)) for line in out.splitlines() if line}
missing, extra = served - documented, documented - served
for m, p in sorted(missing):
    print(f"not documented: {m} {p}")
for m, p in sorted(extra):
    print(f"documented but not served: {m} {p}")
print(f"{len(served)} routes served, {len(documented)} documented")
sys.exit(1 if missing or extra or not served else 0)
