"""Turns the JSON of `presign post` ({"url", "fields"}) into the fixed part of a
multipart/form-data body for bench/wrk/post_form.lua.

    presign post ... | python3 bench/post_form_parts.py BOUNDARY OUT_FILE

Writes every field except `key` as a form part (the Lua script adds a key of its own to each
request, which the policy's `starts-with $key` condition accepts, then the file part), and
prints the form's URL.
"""

import json
import sys


def main():
    boundary, out = sys.argv[1], sys.argv[2]
    form = json.load(sys.stdin)
    parts = []
    for name, value in form["fields"].items():
        if name == "key":
            continue
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n")
    with open(out, "w", newline="") as f:
        f.write("".join(parts))
    print(form["url"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
