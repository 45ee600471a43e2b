#!/usr/bin/env python3
"""Generates the edge-case catalogs in this folder (deterministic: gzip
level 9, mtime 0). Run from anywhere: python3 testdata/edge-cases/make.py [OUTDIR]

Every catalog describes the 12-byte payload b"hello world\\n" (sha256
a948904f...), which the tests write next to them as `firmware.bin`; the
payload itself is not committed."""
import base64, gzip, hashlib, json, os, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
PAYLOAD = b"hello world\n"
SHA = hashlib.sha256(PAYLOAD).hexdigest()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def write(name, data: bytes):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def doc(items=None, major=0, minor=1, **extra):
    d = {"JcatVersionMajor": major}
    if minor is not None:
        d["JcatVersionMinor"] = minor
    if items is not None:
        d["Items"] = items
    d.update(extra)
    return json.dumps(d).encode()


def blob(data=SHA, kind=1, flags=1, **extra):
    b = {"Kind": kind, "Flags": flags}
    b.update(extra)
    b["Data"] = data
    return b


def item(blobs=None, id="firmware.bin", **extra):
    i = {"Id": id}
    i.update(extra)
    if blobs is not None:
        i["Blobs"] = blobs
    return i


plain = doc([item([blob()])])
cases = {
    "alias": doc([item([blob()], id="firmware-00001-stable.bin", AliasIds=["firmware.bin"])]),
    "appstream-id": doc([item([blob(AppstreamId="com.example.vendor")])]),
    "binary-base64-blob": doc([item([blob(base64.b64encode(SHA.encode()).decode(), flags=0)])]),
    "duplicate-ids": doc([item([blob()]), item([blob("0" * 64)])]),
    "empty-id": doc([item([], id="")]),
    "empty-items": doc([]),
    "extra-unknown-fields": doc([item([blob(Bar="x")], Foo=1)], Extra=True),
    "item-without-blobs": doc([item()]),
    "major-1": doc([], major=1, minor=0),
    "missing-minor": doc([], minor=None),
    "missing-timestamp": plain,
    "negative-timestamp": doc([item([blob(Timestamp=-1)])]),
    "no-items": doc(),
    "path-traversal-id": doc([item([blob()], id="../etc/passwd")]),
    "target-sha256-on-checksum": doc([item([blob(Target=1)])]),
    "timestamp-zero": doc([item([blob(Timestamp=0)])]),
    "unknown-flags-6": doc([item([blob(flags=7)])]),
    "unknown-kind-99": doc([item([blob("x", kind=99), blob()])]),
    "uppercase-hex": doc([item([blob(SHA.upper())])]),
}
for name, data in cases.items():
    write(name + ".jcat", gz(data))
# A second gzip member (`{}`) that libjcat ignores, a CDN trailer, no gzip.
write("multi-member-gzip.jcat", gz(plain) + gz(b"{}"))
write("trailer-ihatecdn.jcat", gz(plain) + b"IHATECDN")
write("uncompressed.jcat", plain)
