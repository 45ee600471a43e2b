"""Hostile PKCS#7 signature blobs (deterministic: Ed25519 keys from fixed
seeds, Ed25519 signatures are deterministic, fixed dates). Imported by
make.py and by scripts/hostile-pkcs7-bench.py."""
import base64, datetime, hashlib

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

# The payload the blobs sign (the bench writes it as firmware.bin).
PAYLOAD = b"hostile payload\n"
T0 = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


def key(seed: int) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"jcat hostile %d" % seed).digest())


def tlv(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + body


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    out = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(enc))
    return tlv(0x06, out)


def cert(name: str, subject_key, signing_key, serial: int, i: int) -> bytes:
    n = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    b = (
        x509.CertificateBuilder()
        .subject_name(n)
        .issuer_name(n)
        .public_key(subject_key.public_key())
        .serial_number(serial)
        .not_valid_before(T0 + datetime.timedelta(seconds=i))
        .not_valid_after(T0 + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    return b.sign(signing_key, None).public_bytes(serialization.Encoding.DER)


def cms(certs, signer_key, issuer_name_der: bytes, serial: int, signers: int) -> bytes:
    md = hashlib.sha256(PAYLOAD).digest()
    attrs = [
        tlv(0x30, oid("1.2.840.113549.1.9.3") + tlv(0x31, oid("1.2.840.113549.1.7.1"))),
        tlv(0x30, oid("1.2.840.113549.1.9.4") + tlv(0x31, tlv(0x04, md))),
    ]
    attrs.sort()
    signed = tlv(0x31, b"".join(attrs))
    sig = signer_key.sign(signed)
    digest_alg = tlv(0x30, oid("2.16.840.1.101.3.4.2.1"))
    si = tlv(
        0x30,
        tlv(0x02, b"\x01")
        + tlv(0x30, issuer_name_der + tlv(0x02, serial.to_bytes(1, "big")))
        + digest_alg
        + b"\xa0" + signed[1:]
        + tlv(0x30, oid("1.3.101.112"))
        + tlv(0x04, sig),
    )
    sd = tlv(
        0x30,
        tlv(0x02, b"\x01")
        + tlv(0x31, digest_alg)
        + tlv(0x30, oid("1.2.840.113549.1.7.1"))
        + tlv(0xA0, b"".join(sorted(certs)))
        + tlv(0x31, si * signers),
    )
    return tlv(0x30, oid("1.2.840.113549.1.7.2") + tlv(0xA0, sd))


def name_der(name: str) -> bytes:
    n = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    return n.public_bytes()


def shared_key(tag: str = "") -> bytes:
    """16 SignerInfos x 64 certificates with one name and one key, every
    certificate link broken (signed by another key)."""
    name = "Hostile Shared" + tag
    k, wrong = key(1), key(2)
    certs = [cert(name, k, wrong, 1, i) for i in range(64)]
    return cms(certs, k, name_der(name), 1, 16)


def distinct_keys(tag: str = "") -> bytes:
    """16 SignerInfos x 64 certificates with one name and serial, 64 keys,
    every link broken: each SignerInfo matches all 64 certificates."""
    name = "Hostile Distinct" + tag
    keys = [key(100 + i) for i in range(64)]
    wrong = key(3)
    certs = [cert(name, keys[i], wrong, 1, i) for i in range(64)]
    return cms(certs, keys[0], name_der(name), 1, 16)


def pem(der: bytes) -> str:
    b = base64.b64encode(der).decode()
    lines = [b[i : i + 64] for i in range(0, len(b), 64)]
    return "-----BEGIN PKCS7-----\n" + "\n".join(lines) + "\n-----END PKCS7-----\n"
