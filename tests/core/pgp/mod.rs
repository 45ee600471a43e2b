//! OpenPGP engine tests: real vectors (`vectors`) and interop with GnuPG and
//! the reference jcat-tool (`interop`).

mod accessors;
mod fresh;
mod interop;
mod lvfs_corpus;
mod refusals;
mod sha1_bindings;
mod sign_interop;
mod subkeys;
mod vectors;

use std::path::PathBuf;

use jcat_core::{verify_signature, Policy};
use jcat_core::{BlobKind, Limits, SigError, TimeCheck, TrustStore, Verified};

/// The pinned verification time of the real-vector tests: 2025-01-01T00:00:00Z.
/// The LVFS keys have no expiry, so any time after their 2015 creation works.
pub const PINNED: i64 = 1_735_689_600;

/// A real OpenPGP vector in the shared corpus, by its short name (the test
/// must first check the corpus is there: `crate::shared!("corpus")`).
pub fn pgpdata(name: &str) -> PathBuf {
    let path = match name {
        "GPG-KEY-Linux-Vendor-Firmware-Service" => {
            format!("real/hughsie-libjcat/data/tests/pki/{name}")
        }
        "GPG-KEY-Linux-Vendor-Firmware-Service-Test-Key" => {
            format!("real/lvfs-website/contrib/{name}")
        }
        "lvfs-website-firmware.jcat" => "real/lvfs-website/contrib/firmware.jcat".into(),
        "firmware.bin.lvfs-good.asc" => format!("derived/libjcat-colorhug/{name}"),
        "firmware.bin" | "firmware.bin.asc" => {
            format!("real/hughsie-libjcat/data/tests/colorhug/{name}")
        }
        _ => format!("real/fwupd-fwupd/data/tests/{name}"),
    };
    crate::common::shared_dir().join("corpus").join(path)
}

pub fn trust_with(files: &[PathBuf]) -> TrustStore {
    let mut t = TrustStore::new();
    for f in files {
        t.add_file(f, &Limits::default());
    }
    t
}

/// Verifies `sig` over `payload` with the given trust and time.
pub fn verify(
    trust: &TrustStore,
    time: TimeCheck,
    sig: &[u8],
    payload: &[u8],
) -> Result<Verified, SigError> {
    verify_signature(BlobKind::Gpg, sig, payload, trust, &Policy::new(time))
}
