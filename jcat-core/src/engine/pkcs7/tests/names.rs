//! Name constraints: permitted and excluded subtrees, through intermediates,
//! and forms we cannot process.

use super::support::*;
use super::*;

#[test]
fn name_constraints_permit_exclude_and_refuse_unknown_forms() {
    // permitted dNSName example.com
    let permitted = tlv(0x30, &tlv(0xa0, &tlv(0x30, &tlv(0x82, b"example.com"))));
    let r = constrained_root(permitted);
    let t = store(&[&r], &[]);
    let good = leaf_with("CN=Good", &r, san(tlv(0x82, b"fw.example.com")));
    assert!(ok(&cms(&good, &[&good]), &t).is_ok());
    let bad = leaf_with("CN=Bad", &r, san(tlv(0x82, b"evil.org")));
    let err = verify_leaf(&bad, &[], &t);
    assert!(
        matches!(&err, SigError::X509(ChainError::NameConstraintViolation { subject, name, constrained_by })
            if subject == "CN=Bad" && name == "DNS:evil.org" && constrained_by == "CN=NC Root"),
        "{err:?}"
    );
    // excluded directoryName CN=Bad, through an intermediate.
    let dn = CertView::parse(&bad.der).unwrap().subject.to_vec();
    let excluded = tlv(0x30, &tlv(0xa1, &tlv(0x30, &tlv(0xa4, &dn))));
    let r2 = constrained_root(excluded);
    let mid = issue(&spec("CN=Mid", Some((true, None)), ca_ku()), Some(&r2));
    let l = leaf("CN=Bad", &mid);
    let err = verify_leaf(&l, &[&mid], &store(&[&r2], &[]));
    assert!(
        matches!(&err, SigError::X509(ChainError::NameConstraintViolation { name, .. }) if name == "DN:CN=Bad"),
        "{err:?}"
    );
    // A critical URI constraint with a URI name on the path: cannot be processed.
    let uri = tlv(
        0x30,
        &tlv(0xa1, &tlv(0x30, &tlv(0x86, b"https://example.com"))),
    );
    let r3 = constrained_root(uri);
    let l = leaf_with("CN=Uri", &r3, san(tlv(0x86, b"https://example.com/x")));
    let err = verify_leaf(&l, &[], &store(&[&r3], &[]));
    assert!(
        matches!(&err, SigError::X509(ChainError::NameConstraintUnsupported { subject, .. }) if subject == "CN=NC Root"),
        "{err:?}"
    );
}
