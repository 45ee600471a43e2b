#!/usr/bin/env python3
"""Benchmark for the signature-check budget (issue 9 §2): a catalog of N
hostile PKCS#7 blobs (testdata/hostile/pkcs7_shapes.py, each distinct),
verified with /usr/bin/time by the release binary.

    cargo build --release -p jcat-cli
    python3 scripts/hostile-pkcs7-bench.py [N] [shared|distinct] [blobs|items]

`blobs`: one item holding N blobs (verified on one thread); `items`: N items
of one blob each (items are verified in parallel).

Writes into a temporary directory; prints the time and peak memory."""
import gzip, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "testdata", "hostile"))
import pkcs7_shapes  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
shape = sys.argv[2] if len(sys.argv) > 2 else "distinct"
layout = sys.argv[3] if len(sys.argv) > 3 else "blobs"
make = pkcs7_shapes.distinct_keys if shape == "distinct" else pkcs7_shapes.shared_key
tool = os.path.join(HERE, "..", "target", "release", "jcat-tool")
with tempfile.TemporaryDirectory() as d:
    blobs = [
        {"Kind": 3, "Flags": 1, "Data": pkcs7_shapes.pem(make(" %d" % i))} for i in range(n)
    ]
    if layout == "items":
        items = [{"Id": "fw-%d.bin" % i, "Blobs": [b]} for i, b in enumerate(blobs)]
    else:
        items = [{"Id": "fw-0.bin", "Blobs": blobs}]
    for it in items:
        with open(os.path.join(d, it["Id"]), "wb") as f:
            f.write(pkcs7_shapes.PAYLOAD)
    cat = {"JcatVersionMajor": 0, "JcatVersionMinor": 1, "Items": items}
    path = os.path.join(d, "hostile.jcat")
    with gzip.open(path, "wb") as f:
        f.write(json.dumps(cat).encode())
    print(f"{n} {shape} blobs in {len(items)} item(s), catalog {os.path.getsize(path)} bytes")
    r = subprocess.run(
        ["/usr/bin/time", "-f", "%e s elapsed, %M KiB max RSS", tool, "verify", path],
        cwd=d,
        capture_output=True,
        text=True,
    )
    lines = r.stdout.splitlines()
    print(f"exit {r.returncode}; {len(lines)} lines; first: {lines[1] if len(lines) > 1 else ''}")
    print(r.stderr.strip().splitlines()[-1])
