//! certtool checks shared by the PKI and PKCS#11 tests.

use std::path::Path;

use crate::common::*;

/// `certtool --verify-chain` of `chain` (PEM, leaf first) followed by `root`.
#[track_caller]
pub fn certtool_chain(d: &Path, chain: &str, root: &str, what: &str) {
    let full = [
        std::fs::read(d.join(chain)).unwrap(),
        std::fs::read(d.join(root)).unwrap(),
    ]
    .concat();
    let bundle = d.join(format!("full-{what}.pem"));
    std::fs::write(&bundle, full).unwrap();
    let r = tool(
        d,
        "certtool",
        &["--verify-chain", "--infile", &bundle.display().to_string()],
    );
    assert!(
        r.code == 0 && r.stdout.contains("Chain verification output: Verified"),
        "certtool --verify-chain ({what}): {}{}",
        r.stdout,
        r.stderr
    );
}

/// Exports `catalog` into `d/exp-<what>` and runs `certtool --p7-verify` on
/// the blob of item `id` over the file `data`, `root` the only CA.
#[track_caller]
pub fn certtool_p7(d: &Path, catalog: &str, id: &str, data: &str, root: &str, what: &str) {
    let out = d.join(format!("exp-{what}"));
    jt(
        d,
        &["export", catalog, "--prefix", &out.display().to_string()],
    )
    .ok();
    tool(
        d,
        "certtool",
        &[
            "--p7-verify",
            "--load-ca-certificate",
            root,
            "--load-data",
            data,
            "--infile",
            &out.join(format!("{id}.p7b")).display().to_string(),
        ],
    )
    .ok();
}
