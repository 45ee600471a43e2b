//! Criterion benchmarks of the library's hot paths:
//! parsing and dumping a large catalog, hashing a payload once for several
//! digests, and verifying an item with checksums and an Ed25519 signature.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use jcat_core::digest::{DigestAlg, DigestSet};
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
            let hex = jcat_core::engine::checksum::create(alg, data.as_bytes());
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
                for chunk in data.chunks(jcat_core::payload::CHUNK) {
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
    let hex = jcat_core::engine::checksum::create(DigestAlg::Sha256, &data);
    item.blobs.push(Blob::new(
        BlobKind::Sha256,
        BlobFlags::IS_UTF8,
        hex.into_bytes(),
        None,
    ));
    let sig = jcat_core::engine::ed25519::sign(&key, &data);
    item.blobs
        .push(Blob::new(BlobKind::Ed25519, BlobFlags::NONE, sig, None));
    let policy = jcat_core::Policy::default();
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

criterion_group!(benches, catalog, digests, verify);
criterion_main!(benches);
