//! What the evaluator is judged by: [`Policy`], signature-count rules, and
//! matching required signer names against verified chains.

use crate::engine::Verified;
use crate::model::BlobKind;
use crate::time::ChainStrictness;
use crate::time::TimeCheck;
use crate::Limits;

use super::{ItemReport, Outcome};

/// How much signatures count (pkg(5)'s `signature-policy` levels;
/// `--policy` on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignaturePolicy {
    /// Checksums only; signature blobs are SKIPPED
    /// (`signature checks disabled by policy`).
    Ignore,
    /// Verify what is there: every checked blob must pass, an item with
    /// checksums only passes (libjcat's behaviour, the default).
    #[default]
    Verify,
    /// As `Verify`, and an item without at least one PASSED signature fails
    /// (`signature required`).
    Require,
}

/// Everything a verification is judged by: the one policy evaluator's input,
/// used by [`super::verify_item`] and [`super::Verifier`] (and so by
/// `jcat-tool verify`, whose options map one to one onto the fields).
///
/// [`Policy::new`] is jcat-tool's behaviour at the time given:
/// reference chain rules, all kinds, signatures
/// verified when present, no required signers, no threshold. See
/// `docs/policy.md` for what each rule means and where it comes from.
///
/// The struct is `#[non_exhaustive]`: start from `Policy::new(time)` and set
/// the fields you need.
///
/// ```
/// use jcat_core::{Policy, SignaturePolicy};
/// use jcat_core::{ChainStrictness, TimeCheck};
///
/// // A Jami-like plugin store: only end-entity code-signing certificates
/// // sign files, at least one signature from the QA department, judged at
/// // the time the package was published (pkg(5)).
/// let mut policy = Policy::new(TimeCheck::Disabled);
/// policy.chain = ChainStrictness::Strict;
/// policy.signatures = SignaturePolicy::Require;
/// policy.require_signers = vec!["CN=QA Department".into()];
/// policy.min_signers = 1;
/// policy.time = TimeCheck::At(1_767_225_600); // 2026-01-01T00:00:00Z
/// assert!(policy.kind_filter.is_none());
/// ```
///
/// Revocation lists are not part of the policy: they are trust material,
/// loaded into the [`crate::TrustStore`] with the certificates
/// ([`crate::TrustStore::add_file`], [`crate::TrustStore::add_dir`],
/// [`crate::TrustStore::add_crl_file`]), and always applied.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Policy {
    /// Validity periods of certificates, CRLs (nextUpdate) and OpenPGP keys
    /// and signatures: judged at an instant (`--at`, default now), or not
    /// checked (`--disable-time-checks`).
    pub time: TimeCheck,
    /// Chain rules: RFC 5280 issuer rules always; [`ChainStrictness::Strict`]
    /// also requires an end-entity code-signing signer (`--strict-chain`).
    pub chain: ChainStrictness,
    /// Only blobs of this kind are checked (`--kind`); others are not reported.
    pub kind_filter: Option<BlobKind>,
    /// Signature policy level (`--policy`).
    pub signatures: SignaturePolicy,
    /// Names that must each appear in the verified chain of at least one
    /// PASSED signature of the item (`--require-signer`, repeatable): a whole
    /// RFC 4514 subject or one of its parts, a user ID, or a fingerprint or
    /// key in hex (`docs/policy.md`).
    pub require_signers: Vec<String>,
    /// At least this many PASSED signatures from distinct keys per item
    /// (`--min-signers`; 0 = no threshold). A key counts once however many
    /// blobs it signed; a key is identified by its public key, not by its
    /// certificate.
    pub min_signers: usize,
    /// Parser limits.
    pub limits: Limits,
    /// Log and witness keys for the transparency blobs (`--bt-verifier`,
    /// `--bt-witness` …). `None`: bt-* blobs are SKIPPED as in the reference.
    pub transparency: Option<crate::engine::bt::LogTrust>,
    /// An item without a verified transparency chain (checkpoint, manifest,
    /// inclusion proof) fails (`--require-transparency`).
    pub require_transparency: bool,
    /// Only post-quantum signatures count (`--only-pq`): ML-DSA PKCS#7
    /// signers with ML-DSA-signed paths; every other signature FAILS
    /// (see `docs/pq.md`).
    pub only_pq: bool,
    /// Every file under the base directory must be named by an item (ID or
    /// alias); the others are [`super::CatalogReport::unlisted`] and fail
    /// the catalog (`--strict-set`).
    pub strict_set: bool,
}

impl Policy {
    /// jcat-tool's defaults, judged by `time` (the library never reads the
    /// clock: pass `TimeCheck::At(now)`): reference chain rules, all kinds,
    /// signatures verified when present, no required signers, no
    /// threshold, no transparency, no strict set.
    pub fn new(time: TimeCheck) -> Self {
        Self {
            time,
            chain: ChainStrictness::Reference,
            kind_filter: None,
            signatures: SignaturePolicy::Verify,
            require_signers: Vec::new(),
            min_signers: 0,
            limits: Limits::default(),
            transparency: None,
            require_transparency: false,
            only_pq: false,
            strict_set: false,
        }
    }
}

/// Applies signature-count rules (require, thresholds, required signers).
pub(super) fn apply_policy(report: &mut ItemReport, policy: &Policy) {
    let passed: Vec<&Verified> = report
        .blobs
        .iter()
        .filter(|b| b.kind.is_signature())
        .filter_map(|b| match &b.outcome {
            Outcome::Passed(v) => Some(v),
            _ => None,
        })
        .collect();
    if policy.signatures == SignaturePolicy::Require && passed.is_empty() {
        report.policy_failures.push("signature required".into());
    }
    if policy.require_transparency && !super::transparency::chain_passed(&report.blobs) {
        report.policy_failures.push(
            "transparency required: no verified bt-checkpoint, bt-manifest and bt-inclusion-proof"
                .into(),
        );
    }
    if policy.min_signers > 0 {
        let mut keys: Vec<&crate::engine::KeyId> =
            passed.iter().flat_map(|v| v.keys.iter()).collect();
        keys.sort();
        keys.dedup();
        if keys.len() < policy.min_signers {
            report.policy_failures.push(format!(
                "{} signature(s) from distinct keys, at least {} required",
                keys.len(),
                policy.min_signers
            ));
        }
    }
    for name in &policy.require_signers {
        if !passed
            .iter()
            .any(|v| v.chain.iter().any(|s| name_matches(s, name)))
        {
            report
                .policy_failures
                .push(format!("no verified signature from {name:?}"));
        }
    }
}

/// Whether a chain entry (an RFC 4514 DN, an OpenPGP user ID or
/// fingerprint, an Ed25519 key in hex) matches a required name.
///
/// * Any entry matches its exact text; hex entries (fingerprints, keys) also
///   match case-insensitively.
/// * A DN entry (every `,`/`+`-separated part is `TYPE=value`) also matches
///   * the same DN written with spaces after separators or lower-case types
///     (`cn=QA Department, O=Org A`),
///   * one of its parts (`CN=QA Department`; type case-insensitive, value
///     exact),
///   * one attribute value (`QA Department`).
///
/// Entries that are not DN-shaped (OpenPGP user IDs such as
/// `Hughes, Richard <r@example.com>`) are never split, so `Hughes` does not
/// match them.
pub fn name_matches(entry: &str, name: &str) -> bool {
    if entry == name
        || entry.eq_ignore_ascii_case(name) && entry.chars().all(|c| c.is_ascii_hexdigit())
    {
        return true;
    }
    let Some(parts) = dn_parts(entry) else {
        return false;
    };
    let same = |(t1, v1): &(String, String), (t2, v2): &(String, String)| {
        t1.eq_ignore_ascii_case(t2) && v1 == v2
    };
    match dn_parts(name) {
        Some(wanted) if wanted.len() > 1 => {
            wanted.len() == parts.len() && wanted.iter().zip(&parts).all(|(a, b)| same(a, b))
        }
        Some(wanted) => wanted
            .first()
            .is_some_and(|w| parts.iter().any(|p| same(p, w))),
        None => parts.iter().any(|(_, v)| v == name),
    }
}

/// The `(type, value)` parts of an RFC 4514 string, split on unescaped `,`
/// and `+` (escapes removed, spaces around parts trimmed); `None` when some
/// part is not `TYPE=value` with a plausible attribute type.
fn dn_parts(dn: &str) -> Option<Vec<(String, String)>> {
    let mut raw = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in dn.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' || c == '+' {
            raw.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    raw.push(cur);
    raw.into_iter()
        .map(|part| {
            let (t, v) = part.split_once('=')?;
            let t = t.trim();
            let plausible = !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            plausible.then(|| (t.to_owned(), v.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::name_matches;

    const DN: &str = "CN=QA Department,O=Org A";

    #[test]
    fn names_match_dns_parts_and_values() {
        for yes in [
            DN,
            "cn=QA Department, o=Org A",
            "CN=QA Department",
            "cn=QA Department",
            "O=Org A",
            "QA Department",
            "Org A",
        ] {
            assert!(name_matches(DN, yes), "{yes}");
        }
        for no in [
            "CN=QA",
            "QA",
            "qa department",
            "CN=Org A",
            "O=Org A,CN=QA Department",
            "CN=QA Department,O=Org A,C=DE",
            "",
        ] {
            assert!(!name_matches(DN, no), "{no}");
        }
        assert!(name_matches(r"CN=Smith\, John,O=X", "Smith, John"));
        assert!(name_matches(r"CN=Smith\, John,O=X", r"CN=Smith\, John"));
        assert!(!name_matches(r"CN=Smith\, John,O=X", "CN=Smith, John"));
    }

    #[test]
    fn user_ids_and_fingerprints_are_not_split() {
        let uid = "Hughes, Richard <richard@example.com>";
        assert!(name_matches(uid, uid));
        assert!(!name_matches(uid, "Hughes"));
        assert!(!name_matches(uid, "Richard <richard@example.com>"));
        assert!(name_matches(
            "3FC6B804410ED0840D8F2F9748A6D80E4538BAC2",
            "3fc6b804410ed0840d8f2f9748a6d80e4538bac2"
        ));
        assert!(!name_matches("Some Name", "some name"));
    }
}
