//! Bounded work and path choice: budgets, shortest paths, signingTime.

use super::*;
use crate::trust::x509::error::BudgetScope;
use crate::verify::{verify_signature, Policy};

#[test]
fn signing_time_later_than_verification_time_fails() {
    let j = jami();
    let t = store(&[&j.root], &[]);
    let signed_at = NOW + 3600;
    let sig = crate::sign::pkcs7::sign(
        crate::Payload::Bytes(PAYLOAD),
        pem_bundle(&[&j.plugin, &j.org]).as_bytes(),
        j.plugin.key.to_pem().unwrap().as_bytes(),
        signed_at,
    )
    .unwrap();
    let err = ok(&sig, &t).unwrap_err();
    assert!(
        matches!(err, SigError::Chain(ChainError::SigningTimeInFuture { signing_time, at }) if signing_time == signed_at && at == NOW),
        "{err:?}"
    );
    // Within the skew, and at a later time: passes.
    let at = |time| {
        check(
            &sig,
            PAYLOAD,
            &t,
            TimeCheck::At(time),
            ChainStrictness::Reference,
        )
    };
    assert!(at(signed_at - crate::trust::x509::chain::SIGNING_TIME_SKEW).is_ok());
    assert!(at(signed_at + 1).is_ok());
}

#[test]
fn budget_exhaustion_is_fatal_per_blob_and_per_run() {
    let j = jami();
    let t = store(&[&j.root], &[]);
    let sig = cms(&j.plugin, &[&j.plugin, &j.org]);
    let with = |limits: &Limits, trust: &TrustStore| {
        let mut policy = Policy::new(TimeCheck::At(NOW));
        policy.limits = limits.clone();
        verify_signature(BlobKind::Pkcs7, &sig, PAYLOAD, trust, &policy)
    };
    let limits = Limits {
        // The signer and one link; the second link is over.
        max_signature_checks_per_blob: 2,
        ..Limits::default()
    };
    let err = with(&limits, &t).unwrap_err();
    assert!(
        matches!(
            err,
            SigError::Chain(ChainError::BudgetExhausted {
                checks: 2,
                max: 2,
                scope: BudgetScope::Blob
            })
        ),
        "{err:?}"
    );
    // Per run: blobs that verify give their checks back, so good signatures
    // never exhaust the run; failed ones keep theirs until it runs out.
    let limits = Limits {
        max_signature_checks_per_run: 4,
        ..Limits::default()
    };
    let fresh = store(&[&j.root], &[]);
    // One run for all the blobs below (as a catalog's items share one).
    let run = crate::trust::context::RunState::new();
    let ctx = crate::trust::context::VerifyContext {
        trust: &fresh,
        time: TimeCheck::At(NOW),
        chain: ChainStrictness::Reference,
        limits: &limits,
        run: &run,
    };
    let check_with = |sig: &[u8]| {
        crate::engine::prepare(BlobKind::Pkcs7, sig, &ctx)
            .and_then(|c| crate::engine::check_bytes(c, PAYLOAD, &ctx))
    };
    for n in 0..10 {
        let good = leaf(&format!("CN=Good {n}"), &j.org);
        assert!(
            check_with(&cms(&good, &[&good, &j.org])).is_ok(),
            "good blob {n}"
        );
    }
    let evil_root = root("CN=Evil Root");
    let mut last = None;
    for n in 0..4 {
        let evil = leaf(&format!("CN=Evil {n}"), &evil_root);
        last = Some(check_with(&cms(&evil, &[&evil, &evil_root])).unwrap_err());
    }
    let err = last.unwrap();
    assert!(
        matches!(
            err,
            SigError::Chain(ChainError::BudgetExhausted {
                scope: BudgetScope::Run,
                max: 4,
                ..
            })
        ),
        "{err:?}"
    );
    // Once failures used it up, even a good blob is refused by the run budget.
    let late = leaf("CN=Late", &j.org);
    let late_sig = cms(&late, &[&late, &j.org]);
    assert!(matches!(
        check_with(&late_sig),
        Err(SigError::Chain(ChainError::BudgetExhausted {
            scope: BudgetScope::Run,
            ..
        }))
    ));
    // The budget belongs to the run, not to the trust store: the next run
    // with the same store (here one `verify_signature` call) starts afresh.
    let mut policy = Policy::new(TimeCheck::At(NOW));
    policy.limits = limits.clone();
    assert!(verify_signature(BlobKind::Pkcs7, &late_sig, PAYLOAD, &fresh, &policy).is_ok());
    assert!(check_with(&late_sig).is_err(), "the spent run stays spent");
}

#[test]
fn shortest_path_through_cross_signed_cas_and_no_loops() {
    // Root A (trusted, self-signed); A and B cross-sign each other; leaf → A1 → A.
    let (ka, kb) = (p256(), p256());
    let (sa, sb) = (ka.spki_der().unwrap(), kb.spki_der().unwrap());
    let ca = |n: &str| spec(n, Some((true, None)), ca_ku());
    let a_root = certgen::build(&ca("CN=A"), &sa, &ka, None).unwrap();
    let b_root = certgen::build(&ca("CN=B"), &sb, &kb, None).unwrap();
    let (va, vb) = (
        CertView::parse(&a_root).unwrap(),
        CertView::parse(&b_root).unwrap(),
    );
    let a_by_b = certgen::build(&ca("CN=A"), &sa, &kb, Some((vb.subject, vb.spki))).unwrap();
    let b_by_a = certgen::build(&ca("CN=B"), &sb, &ka, Some((va.subject, va.spki))).unwrap();
    let a = Pk {
        key: ka,
        der: a_root,
    };
    let a_x = Pk {
        key: a.key.clone(),
        der: a_by_b,
    };
    let b_x = Pk {
        key: kb,
        der: b_by_a,
    };
    let a1 = issue(&ca("CN=A1"), Some(&a));
    let l = leaf("CN=Leaf", &a1);
    // The cross-signed certificates come first in the CMS.
    let sig = cms(&l, &[&l, &a_x, &b_x, &a1]);
    let v = ok(&sig, &store(&[&a], &[])).unwrap();
    assert_eq!(subjects(&v), ["CN=Leaf", "CN=A1", "CN=A"]);
    // Only B trusted: leaf → A1 → A (by B) → B; A never appears twice.
    let v = ok(
        &sig,
        &store(
            &[&Pk {
                key: p256(),
                der: b_root,
            }],
            &[],
        ),
    )
    .unwrap();
    assert_eq!(subjects(&v), ["CN=Leaf", "CN=A1", "CN=A", "CN=B"]);
}

/// Hostile chains: 100 certificates, a chain deeper than the limit, and a
/// loop of cross-signed CAs all end with a specific error, quickly.
#[test]
fn hostile_chains_are_bounded() {
    let anchor = root("CN=Root");
    let mut chain = vec![anchor];
    for i in 0..99 {
        let next = issue(
            &spec(&format!("CN=CA {i}"), Some((true, None)), ca_ku()),
            chain.last(),
        );
        chain.push(next);
    }
    let signer = leaf("CN=Deep Signer", chain.last().unwrap());
    let trust = store(&[&chain[0]], &[]);
    // 100 certificates embedded: over max_cms_certificates (64).
    let mut all: Vec<&Pk> = vec![&signer];
    all.extend(chain.iter().rev());
    let sig = cms(&signer, &all);
    let err = check(
        &sig,
        PAYLOAD,
        &trust,
        TimeCheck::At(NOW),
        ChainStrictness::Reference,
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            SigError::Limit {
                limit: crate::engine::LimitName::CmsCertificates,
                ..
            }
        ),
        "{err:?}"
    );
    // 20 certificates: within the CMS limit, deeper than max_chain_depth (8).
    let sig = cms(&signer, &all[..20]);
    let mut trust20 = store(&[], &[]);
    trust20.add_bytes(Path::new("cert"), &all[19].der, &Limits::default());
    let err = check(
        &sig,
        PAYLOAD,
        &trust20,
        TimeCheck::At(NOW),
        ChainStrictness::Reference,
    )
    .unwrap_err();
    assert!(
        matches!(&err, SigError::Chain(ChainError::TooDeep { max: 8 })),
        "{err:?}"
    );
    // A loop: A issued by B and B issued by A (cross-signed, real keys).
    let (ka, kb) = (p256(), p256());
    let (sa, sb) = (ka.spki_der().unwrap(), kb.spki_der().unwrap());
    let self_a = certgen::build(
        &spec("CN=Loop A", Some((true, None)), ca_ku()),
        &sa,
        &ka,
        None,
    )
    .unwrap();
    let self_b = certgen::build(
        &spec("CN=Loop B", Some((true, None)), ca_ku()),
        &sb,
        &kb,
        None,
    )
    .unwrap();
    let (va, vb) = (
        CertView::parse(&self_a).unwrap(),
        CertView::parse(&self_b).unwrap(),
    );
    let b_der = certgen::build(
        &spec("CN=Loop B", Some((true, None)), ca_ku()),
        &sb,
        &ka,
        Some((va.subject, va.spki)),
    )
    .unwrap();
    let a_der = certgen::build(
        &spec("CN=Loop A", Some((true, None)), ca_ku()),
        &sa,
        &kb,
        Some((vb.subject, vb.spki)),
    )
    .unwrap();
    let a = Pk {
        key: ka,
        der: a_der,
    };
    let b = Pk {
        key: kb,
        der: b_der,
    };
    let looped = leaf("CN=Loop Signer", &a);
    let other = root("CN=Unrelated Root");
    let trust = store(&[&other], &[]);
    let sig = cms(&looped, &[&looped, &a, &b]);
    let err = check(
        &sig,
        PAYLOAD,
        &trust,
        TimeCheck::At(NOW),
        ChainStrictness::Reference,
    )
    .unwrap_err();
    assert!(matches!(&err, SigError::Untrusted(_)), "{err:?}");
    // Trusting B makes the same looped chain valid: the loop was walked, not refused blindly.
    let trust_b = store(&[&b], &[]);
    assert!(check(
        &sig,
        PAYLOAD,
        &trust_b,
        TimeCheck::At(NOW),
        ChainStrictness::Reference
    )
    .is_ok());
}

/// The chain's subjects; every entry of a PKCS#7 chain is a DN.
fn subjects(v: &crate::Verified) -> Vec<&str> {
    v.chain
        .iter()
        .map(|e| match e {
            crate::ChainEntry::Dn(s) => s.as_str(),
            other => panic!("not a DN: {other:?}"),
        })
        .collect()
}
