#!/usr/bin/env python3
"""Generates the hostile catalog vectors in this folder (deterministic:
gzip mtime 0). Run from anywhere: python3 testdata/hostile/make.py"""
import gzip, io, json, os, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SHA = "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"


def gz(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def write(name, data: bytes, compress=True):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(gz(data) if compress else data)


def doc(items=None, **top):
    d = {"JcatVersionMajor": 0, "JcatVersionMinor": 1}
    d.update(top)
    if items is not None:
        d["Items"] = items
    return json.dumps(d, separators=(",", ":")).encode()


def blob(**kw):
    b = {"Kind": 1, "Flags": 1, "Data": SHA}
    b.update(kw)
    return b


def item(**kw):
    i = {"Id": "firmware.bin", "Blobs": [blob()]}
    i.update(kw)
    return i


# gzip bomb: 1 GiB of '0' inside a JSON string, about 1 MiB compressed.
def bomb():
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [c.compress(b'{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[],"x":"')]
    chunk = b"0" * (1 << 20)
    for _ in range(1024):
        out.append(c.compress(chunk))
    out.append(c.compress(b'"}'))
    out.append(c.flush())
    data = b"".join(out)
    # zlib writes mtime 0 already in gzip mode (wbits 31)
    with open(os.path.join(HERE, "gzip-bomb.jcat"), "wb") as f:
        f.write(data)


bomb()
valid = gz(doc([item()]))
write("truncated-gzip.jcat", valid[: len(valid) // 2], compress=False)
write("empty.jcat", b"", compress=False)
write("not-json.jcat", b"\x00\x01\x02 binary garbage")
write("root-array.jcat", b"[1,2,3]")
write("deep-nesting.jcat", b'{"x":' + b"[" * 100000 + b"]" * 100000 + b"}")
write("many-items.jcat", doc([{"Id": f"f{i}", "Blobs": []} for i in range(200000)]))
write("huge-id.jcat", doc([item(Id="A" * (20 << 20))]))
write("huge-data.jcat", doc([item(Blobs=[blob(Data="a" * (20 << 20))])]))
write("many-blobs.jcat", doc([item(Blobs=[blob(AppstreamId=f"a{i}") for i in range(5000)])]))
write("nul-in-id.jcat", doc([item(Id="fw\u0000.bin")]))
write("invalid-utf8-id.jcat", doc([item(Id="fwXX.bin")]).replace(b"XX", b"\xff\xfe"))
write("duplicate-ids.jcat", doc([item(), item()]))
write("traversal-id.jcat", doc([item(Id="../../etc/passwd")]))
write("absolute-id.jcat", doc([item(Id="/etc/passwd")]))
write("base64-garbage.jcat", doc([item(Blobs=[blob(Flags=0, Data="!!!not base64***")])]))
write("nul-in-data.jcat", doc([item(Blobs=[blob(Data="abc\u0000def")])]))
# Wrong JSON types in every field.
wrong = {
    "major-string": doc([item()], JcatVersionMajor="0"),
    "minor-float": doc([item()], JcatVersionMinor=1.5),
    "items-object": doc({}),
    "items-string": doc("x"),
    "item-not-object": doc([5]),
    "id-number": doc([item(Id=5)]),
    "id-null": doc([item(Id=None)]),
    "aliasids-string": doc([item(AliasIds="x")]),
    "aliasids-number": doc([item(AliasIds=[5])]),
    "blobs-object": doc([item(Blobs={})]),
    "blob-not-object": doc([item(Blobs=["x"])]),
    "kind-string": doc([item(Blobs=[blob(Kind="1")])]),
    "kind-negative": doc([item(Blobs=[blob(Kind=-1)])]),
    "kind-float": doc([item(Blobs=[blob(Kind=1.5)])]),
    "kind-huge": doc([item(Blobs=[blob(Kind=4294967297)])]),
    "flags-string": doc([item(Blobs=[blob(Flags="1")])]),
    "target-string": doc([item(Blobs=[blob(Target="sha256")])]),
    "timestamp-string": doc([item(Blobs=[blob(Timestamp="now")])]),
    "timestamp-negative": doc([item(Blobs=[blob(Timestamp=-5)])]),
    "appstreamid-number": doc([item(Blobs=[blob(AppstreamId=7)])]),
    "data-number": doc([item(Blobs=[blob(Data=5)])]),
    "data-object": doc([item(Blobs=[blob(Data={})])]),
}
for name, data in wrong.items():
    write(f"type-{name}.jcat", data)

# Hostile PKCS#7 blobs (see pkcs7_shapes.py): bounded by the signature-check budget.
import sys

sys.path.insert(0, HERE)
import pkcs7_shapes  # noqa: E402


def pkcs7_item(der):
    return item(Blobs=[blob(Kind=3, Flags=1, Data=pkcs7_shapes.pem(der))])


write("pkcs7-shared-key.jcat", doc([pkcs7_item(pkcs7_shapes.shared_key())]))
write("pkcs7-distinct-keys.jcat", doc([pkcs7_item(pkcs7_shapes.distinct_keys())]))
