//! CRLs fail closed: at verification and when loading `--crl`.

use super::support::*;
use super::*;

#[test]
fn unusable_crls_fail_closed() {
    let j = jami();
    let sig = cms(&j.plugin, &[&j.plugin, &j.org]);
    let problem = |crl: Vec<u8>| match ok(&sig, &store(&[&j.root], &[crl])) {
        Err(SigError::X509(ChainError::CrlUnusable { problem, .. })) => problem,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        problem(crl_with(&j.org, Vec::new())),
        CrlProblem::CrlNumberMissing
    );
    assert_eq!(
        problem(crl_with(&j.org, crl_number_ext(true))),
        CrlProblem::CrlNumberCritical
    );
    // An issuer without cRLSign.
    let org = issue(
        &spec(
            "CN=Org NoCrl",
            Some((true, Some(0))),
            KeyUsages::KeyCertSign.into(),
        ),
        Some(&j.root),
    );
    let l = leaf("CN=P", &org);
    let err = ok(
        &cms(&l, &[&l, &org]),
        &store(&[&j.root], &[crl_with(&org, crl_number_ext(false))]),
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            SigError::X509(ChainError::CrlUnusable {
                problem: CrlProblem::IssuerLacksCrlSign,
                ..
            })
        ),
        "{err:?}"
    );
    // A good CRL of that issuer that lists nothing: passes.
    assert!(ok(
        &sig,
        &store(&[&j.root], &[crl_with(&j.org, crl_number_ext(false))])
    )
    .is_ok());
}

#[test]
fn crl_option_refuses_a_crl_its_trusted_issuer_cannot_use() {
    let j = jami();
    let mut t = store(&[&j.root], &[]);
    let limits = Limits::default();
    // Made by another key under the root's name: refused when loading.
    let impostor = root("CN=Store Root CA,O=Store");
    let forged = crl_with(&impostor, crl_number_ext(false));
    let err = t.add_crl_bytes(Path::new("forged.crl"), &forged, &limits);
    assert!(
        matches!(&err, Err(m) if m.contains("cannot be used: its signature does not verify")),
        "{err:?}"
    );
    // Missing CRLNumber: refused too.
    let bare = crl_with(&j.root, Vec::new());
    assert!(t
        .add_crl_bytes(Path::new("bare.crl"), &bare, &limits)
        .is_err());
    // The root's own CRL, and one of an issuer not (yet) trusted, load.
    let good = crl_with(&j.root, crl_number_ext(false));
    assert_eq!(
        t.add_crl_bytes(Path::new("good.crl"), &good, &limits),
        Ok(1)
    );
    let orgs = crl_with(&j.org, crl_number_ext(false));
    assert_eq!(t.add_crl_bytes(Path::new("org.crl"), &orgs, &limits), Ok(1));
}

/// crlExtensions `[0]` holding a CRLNumber of 1.
pub(super) fn crl_number_ext(critical: bool) -> Vec<u8> {
    let crit = if critical {
        tlv(0x01, &[0xff])
    } else {
        Vec::new()
    };
    let ext = tlv(
        0x30,
        &[
            tlv(0x06, &[0x55, 0x1d, 0x14]),
            crit,
            tlv(0x04, &tlv(0x02, &[1])),
        ]
        .concat(),
    );
    tlv(0xa0, &tlv(0x30, &ext))
}

/// A CRL by `issuer` listing `serials`.
pub(super) fn crl(issuer: &Pk, serials: &[&Pk], next_update: i64, corrupt: bool) -> Vec<u8> {
    let v = CertView::parse(&issuer.der).unwrap();
    let time = |t| der::Encode::to_der(&certgen::x509_time(t).unwrap()).unwrap();
    let alg = der::Encode::to_der(&issuer.key.cert_sig_alg()).unwrap();
    let entries: Vec<u8> = serials
        .iter()
        .map(|c| {
            let s = CertView::parse(&c.der).unwrap();
            tlv(0x30, &[tlv(0x02, s.serial), time(T0 + 100)].concat())
        })
        .collect::<Vec<_>>()
        .concat();
    let tbs = tlv(
        0x30,
        &[
            tlv(0x02, &[1]),
            alg.clone(),
            v.subject.to_vec(),
            time(T0),
            time(next_update),
            tlv(0x30, &entries),
            crl_number_ext(false),
        ]
        .concat(),
    );
    let mut sig = issuer.key.sign(&tbs).unwrap();
    if corrupt {
        sig[10] ^= 1;
    }
    tlv(
        0x30,
        &[tbs, alg, tlv(0x03, &[&[0u8][..], &sig].concat())].concat(),
    )
}

#[test]
fn crls_revoke_only_what_their_issuer_issued() {
    let j = jami();
    let sibling = leaf("CN=Sibling", &j.org);
    let far = T0 + 5 * YEAR;
    let sig = cms(&j.plugin, &[&j.plugin, &j.org]);
    let sig_sibling = cms(&sibling, &[&sibling, &j.org]);

    // Root revokes the organization.
    let t = store(&[&j.root], &[crl(&j.root, &[&j.org], far, false)]);
    let err = ok(&sig, &t).unwrap_err();
    let serial = CertView::parse(&j.org.der).unwrap().serial_hex();
    assert_eq!(
        err,
        SigError::Revoked(format!(
            "certificate CN=Org,O=Store (serial {serial}) was revoked on {} by CN=Store Root CA,O=Store",
            crate::trust::x509::chain::date(T0 + 100)
        ))
    );
    // Also when the organization certificate itself is trusted.
    let t = store(&[&j.root, &j.org], &[crl(&j.root, &[&j.org], far, false)]);
    assert!(matches!(ok(&sig, &t), Err(SigError::Revoked(_))));

    // Organization revokes one plugin, not its sibling.
    let t = store(&[&j.root], &[crl(&j.org, &[&j.plugin], far, false)]);
    assert!(matches!(ok(&sig, &t), Err(SigError::Revoked(m)) if m.contains("CN=Plugin,O=Org")));
    assert!(ok(&sig_sibling, &t).is_ok());

    // A CRL from another organization listing the plugin has no effect.
    let org_b = issue(
        &spec("CN=Org B", Some((true, Some(0))), ca_ku()),
        Some(&j.root),
    );
    let t = store(
        &[&j.root, &org_b],
        &[crl(&org_b, &[&j.plugin, &j.org], far, false)],
    );
    assert!(ok(&sig, &t).is_ok());

    // A CRL whose signature does not verify is an error (fail closed).
    let t = store(&[&j.root], &[crl(&j.org, &[&j.plugin], far, true)]);
    let err = ok(&sig, &t).unwrap_err();
    assert!(
        matches!(
            &err,
            SigError::X509(ChainError::CrlUnusable { issuer, problem: CrlProblem::BadSignature })
                if issuer == "CN=Org,O=Store"
        ),
        "{err:?}"
    );

    // A CRL past its nextUpdate is an error unless time checks are disabled.
    let t = store(&[&j.root], &[crl(&j.org, &[&sibling], NOW - 1, false)]);
    assert!(
        matches!(ok(&sig, &t), Err(SigError::Expired(m)) if m.contains("CRL issued by CN=Org,O=Store"))
    );
    assert!(check(
        &sig,
        PAYLOAD,
        &t,
        TimeCheck::Disabled,
        ChainStrictness::Reference
    )
    .is_ok());
}
