//! Criterion benchmarks of the library's hot paths:
//! parsing and dumping a large catalog, hashing a payload once for several
//! digests, and verifying an item with checksums and an Ed25519 signature.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use jcat_core::testing::internals::{DigestAlg, DigestSet};
use jcat_core::{Blob, BlobFlags, BlobKind, Catalog, Item, Limits, Payload, TrustStore};

fn big_catalog(items: usize) -> Vec<u8> {
    let pem = format!(
        "-----BEGIN PKCS7-----\n{}-----END PKCS7-----\n",
        "MIIGYAYJKoZIhvcNAQcCoIIGUTCCBk0CAQExDTALBglghkgBZQMEAgEwCwYJKoZI\n".repeat(36)
    );
    let mut cat = Catalog::new();
    for i in 0..items {
        let item = cat
            .add_item(Item::new(format!("firmware-{i}.bin")))
            .unwrap();
        let data = format!("payload {i}");
        for (kind, alg) in [
            (BlobKind::Sha1, DigestAlg::Sha1),
            (BlobKind::Sha256, DigestAlg::Sha256),
        ] {
            let hex = jcat_core::testing::internals::checksum::create(alg, data.as_bytes());
            item.blobs.push(Blob::new(
                kind,
                BlobFlags::IS_UTF8,
                hex.into_bytes(),
                Some(1_700_000_000),
            ));
        }
        item.blobs.push(Blob::new(
            BlobKind::Pkcs7,
            BlobFlags::IS_UTF8,
            pem.clone().into_bytes(),
            Some(1_700_000_000),
        ));
    }
    jcat_core::to_bytes(&cat).unwrap()
}

fn catalog(c: &mut Criterion) {
    let bytes = big_catalog(20_000);
    let limits = Limits::default();
    let mut g = c.benchmark_group("catalog-20k-items");
    g.sample_size(10);
    g.throughput(Throughput::Elements(20_000));
    g.bench_function("parse", |b| {
        b.iter(|| jcat_core::from_bytes(black_box(&bytes), &limits).unwrap())
    });
    let cat = jcat_core::from_bytes(&bytes, &limits).unwrap();
    g.bench_function("info-text", |b| {
        b.iter(|| jcat_core::to_text(black_box(&cat)))
    });
    g.bench_function("write", |b| {
        b.iter(|| jcat_core::to_bytes(black_box(&cat)).unwrap())
    });
    g.finish();
}

fn digests(c: &mut Criterion) {
    let data = vec![0x5au8; 64 << 20];
    let mut g = c.benchmark_group("digest-64MiB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(data.len() as u64));
    for (name, algs) in [
        ("sha256", vec![DigestAlg::Sha256]),
        (
            "sha1+sha256+sha512 one pass",
            vec![DigestAlg::Sha1, DigestAlg::Sha256, DigestAlg::Sha512],
        ),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut set = DigestSet::new();
                for a in &algs {
                    set.request(*a);
                }
                for chunk in data.chunks(jcat_core::testing::internals::CHUNK) {
                    set.update(chunk);
                }
                black_box(set.digest(DigestAlg::Sha256))
            })
        });
    }
    g.finish();
}

fn verify(c: &mut Criterion) {
    let data = vec![0x33u8; 16 << 20];
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let mut trust = TrustStore::new();
    trust.add_ed25519(key.verifying_key().as_bytes()).unwrap();
    let mut item = Item::new("fw.bin");
    let hex = jcat_core::testing::internals::checksum::create(DigestAlg::Sha256, &data);
    item.blobs.push(Blob::new(
        BlobKind::Sha256,
        BlobFlags::IS_UTF8,
        hex.into_bytes(),
        None,
    ));
    let sig = jcat_core::testing::internals::ed25519_sign(&key, &data);
    item.blobs
        .push(Blob::new(BlobKind::Ed25519, BlobFlags::NONE, sig, None));
    let policy = jcat_core::Policy::new(jcat_core::TimeCheck::At(chrono::Utc::now().timestamp()));
    let mut g = c.benchmark_group("verify-item-16MiB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("sha256+ed25519", |b| {
        b.iter(|| {
            let r = jcat_core::verify_item(&item, Payload::Bytes(&data), &trust, &policy);
            assert!(r.passed());
        })
    });
    g.finish();
}

/// The fan-out's chunk size (D54): sha1 + sha256 + sha512 of 256 MiB on
/// two threads, against the one-thread loop with its 32 KiB reads.
fn fan_out_chunk(c: &mut Criterion) {
    let data = vec![0xa5u8; 256 << 20];
    let mut g = c.benchmark_group("fan-out-256MiB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(data.len() as u64));
    for (threads, chunk) in [
        (1, 32 << 10),
        (2, 32 << 10),
        (2, 64 << 10),
        (2, 128 << 10),
        (2, 256 << 10),
        (2, 1 << 20),
        (2, 4 << 20),
    ] {
        let name = format!("{threads} thread(s), {} KiB chunks", chunk >> 10);
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut set = DigestSet::new();
                for a in [DigestAlg::Sha1, DigestAlg::Sha256, DigestAlg::Sha512] {
                    set.request(a);
                }
                jcat_core::testing::internals::feed_chunked(
                    &mut black_box(data.as_slice()),
                    set.sinks_mut().collect(),
                    threads,
                    chunk,
                )
                .unwrap();
                set.digest(DigestAlg::Sha512)
            })
        });
    }
    g.finish();
}

/// Public-key verification by the backends we use (V3), to set against
/// `openssl speed rsa2048 rsa3072 ecdsap256`: the key decode alone, and
/// decode + verify as one signature check does.
fn signatures(c: &mut Criterion) {
    use rsa::pkcs1::{DecodeRsaPublicKey, EncodeRsaPublicKey};
    use sha2::Digest as _;
    use signature::hazmat::PrehashVerifier as _;
    let hashed = sha2::Sha256::digest(b"payload").to_vec();
    let mut g = c.benchmark_group("signature-verify");
    g.sample_size(20);
    for bits in [2048, 3072] {
        let key = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, bits).unwrap();
        let scheme = || rsa::Pkcs1v15Sign::new::<sha2::Sha256>();
        let sig = key.sign(scheme(), &hashed).unwrap();
        let der = key.to_public_key().to_pkcs1_der().unwrap();
        // V4's cost: the private-key operation as `sign` does it (blinded).
        g.bench_function(format!("rsa{bits} sign (blinded)"), |b| {
            b.iter(|| {
                key.sign_with_rng(&mut rand_core::OsRng, scheme(), black_box(&hashed))
                    .unwrap()
            })
        });
        g.bench_function(format!("rsa{bits} key decode"), |b| {
            b.iter(|| rsa::RsaPublicKey::from_pkcs1_der(black_box(der.as_bytes())).unwrap())
        });
        g.bench_function(format!("rsa{bits} decode+verify"), |b| {
            b.iter(|| {
                let k = rsa::RsaPublicKey::from_pkcs1_der(black_box(der.as_bytes())).unwrap();
                k.verify(scheme(), &hashed, &sig).unwrap()
            })
        });
    }
    let sk = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
    let sig: p256::ecdsa::Signature =
        signature::hazmat::PrehashSigner::sign_prehash(&sk, &hashed).unwrap();
    let point = sk.verifying_key().to_encoded_point(false);
    g.bench_function("ecdsap256 decode+verify", |b| {
        b.iter(|| {
            let k =
                p256::ecdsa::VerifyingKey::from_sec1_bytes(black_box(point.as_bytes())).unwrap();
            k.verify_prehash(&hashed, &sig).unwrap()
        })
    });
    g.finish();
}

/// The gzip backend (V2): flate2 as built here (zlib-rs, which `pgp` turns
/// on) against miniz_oxide (flate2's default backend), both streaming into
/// a 64 KiB buffer, on the 20 000-item catalog.
fn gunzip(c: &mut Criterion) {
    use std::io::Read as _;
    let bytes = big_catalog(20_000);
    // flate2 writes a 10-byte header without a name, and an 8-byte trailer.
    let deflate = &bytes[10..bytes.len() - 8];
    let mut g = c.benchmark_group("gunzip-20k-items");
    g.sample_size(10);
    g.bench_function("flate2 (zlib-rs)", |b| {
        b.iter(|| {
            let mut d = flate2::read::GzDecoder::new(black_box(bytes.as_slice()));
            let mut buf = vec![0u8; 1 << 16];
            let mut total = 0;
            loop {
                match d.read(&mut buf).unwrap() {
                    0 => break total,
                    n => total += n,
                }
            }
        })
    });
    g.bench_function("miniz_oxide", |b| {
        use miniz_oxide::inflate::stream::{inflate, InflateState};
        use miniz_oxide::{DataFormat, MZFlush, MZStatus};
        b.iter(|| {
            let mut st = InflateState::new_boxed(DataFormat::Raw);
            let mut input = black_box(deflate);
            let mut buf = vec![0u8; 1 << 16];
            let mut total = 0;
            loop {
                let r = inflate(&mut st, input, &mut buf, MZFlush::None);
                input = &input[r.bytes_consumed..];
                total += r.bytes_written;
                if r.status.unwrap() == MZStatus::StreamEnd {
                    break total;
                }
            }
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    gunzip,
    catalog,
    digests,
    verify,
    fan_out_chunk,
    signatures
);
criterion_main!(benches);
