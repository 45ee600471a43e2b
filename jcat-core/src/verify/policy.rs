//! What the evaluator is judged by: [`Policy`], signature-count rules, and
//! matching required signer names against verified chains.

use crate::engine::{ChainEntry, ChainStrictness, TimeCheck, Verified};
use crate::model::BlobKind;
use crate::Limits;

use super::{ItemReport, Outcome, PolicyFailure};

/// How much signatures count (pkg(5)'s `signature-policy` levels;
/// `--policy` on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

impl SignaturePolicy {
    /// Every level, in the order `--policy` lists them.
    pub const ALL: [SignaturePolicy; 3] = [Self::Ignore, Self::Verify, Self::Require];

    /// The level's name on the command line (`ignore`, `verify`, `require`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Ignore => "ignore",
            Self::Verify => "verify",
            Self::Require => "require",
        }
    }
}

impl std::fmt::Display for SignaturePolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A `--policy` level that is not `ignore`, `verify` or `require`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown signature policy {value:?}: expected ignore, verify or require")]
pub struct ParsePolicyError {
    /// The text that was given.
    pub value: String,
}

impl std::str::FromStr for SignaturePolicy {
    type Err = ParsePolicyError;

    /// Parses a level by its exact name ([`SignaturePolicy::name`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| ParsePolicyError {
                value: s.to_owned(),
            })
    }
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
/// use jcat_core::verify::{Policy, SignaturePolicy};
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
    /// PASSED signature of the item (`--require-signer`, repeatable). See
    /// [`name_matches`] for what matches.
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
        report
            .policy_failures
            .push(PolicyFailure::SignatureRequired);
    }
    if policy.require_transparency && !super::transparency::chain_passed(&report.blobs) {
        report
            .policy_failures
            .push(PolicyFailure::TransparencyRequired);
    }
    if policy.min_signers > 0 {
        let mut keys: Vec<&crate::engine::KeyId> =
            passed.iter().flat_map(|v| v.keys.iter()).collect();
        keys.sort();
        keys.dedup();
        if keys.len() < policy.min_signers {
            report.policy_failures.push(PolicyFailure::TooFewSigners {
                have: keys.len(),
                need: policy.min_signers,
            });
        }
    }
    for name in &policy.require_signers {
        if !passed
            .iter()
            .any(|v| v.chain.iter().any(|s| name_matches(s, name)))
        {
            report
                .policy_failures
                .push(PolicyFailure::MissingSigner { name: name.clone() });
        }
    }
}

/// Whether a chain entry matches a required name, decided by what the entry
/// is:
///
/// * [`ChainEntry::UserId`]: only its exact text (an OpenPGP user ID such as
///   `Hughes, Richard <r@example.com>` is never split, so `Hughes` does not
///   match it, even when it looks like a DN).
/// * [`ChainEntry::Fingerprint`], [`ChainEntry::Ed25519Key`]: the hex text,
///   case-insensitively.
/// * [`ChainEntry::Dn`]: its exact text, and (when every `,`/`+`-separated
///   part is `TYPE=value`)
///   * the same DN written with spaces after separators or lower-case types
///     (`cn=QA Department, O=Org A`),
///   * one of its parts (`CN=QA Department`; type case-insensitive, value
///     exact),
///   * one attribute value (`QA Department`).
pub fn name_matches(entry: &ChainEntry, name: &str) -> bool {
    let dn = match entry {
        ChainEntry::Dn(dn) => dn,
        ChainEntry::UserId(uid) => return uid == name,
        ChainEntry::Fingerprint(fpr) => return fpr.eq_ignore_ascii_case(name),
        ChainEntry::Ed25519Key(_) => return entry.to_string().eq_ignore_ascii_case(name),
    };
    if dn == name {
        return true;
    }
    let Some(parts) = dn_parts(dn) else {
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
    use super::{name_matches, ChainEntry, SignaturePolicy};

    const DN: &str = "CN=QA Department,O=Org A";

    fn dn(s: &str) -> ChainEntry {
        ChainEntry::Dn(s.into())
    }

    fn uid(s: &str) -> ChainEntry {
        ChainEntry::UserId(s.into())
    }

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
            assert!(name_matches(&dn(DN), yes), "{yes}");
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
            assert!(!name_matches(&dn(DN), no), "{no}");
        }
        let escaped = dn(r"CN=Smith\, John,O=X");
        assert!(name_matches(&escaped, "Smith, John"));
        assert!(name_matches(&escaped, r"CN=Smith\, John"));
        assert!(!name_matches(&escaped, "CN=Smith, John"));
    }

    #[test]
    fn user_ids_and_fingerprints_are_not_split() {
        let u = "Hughes, Richard <richard@example.com>";
        assert!(name_matches(&uid(u), u));
        assert!(!name_matches(&uid(u), "Hughes"));
        assert!(!name_matches(&uid(u), "Richard <richard@example.com>"));
        let fpr = ChainEntry::Fingerprint("3FC6B804410ED0840D8F2F9748A6D80E4538BAC2".into());
        assert!(name_matches(
            &fpr,
            "3fc6b804410ed0840d8f2f9748a6d80e4538bac2"
        ));
        assert!(!name_matches(&fpr, "3FC6B804"));
        assert!(!name_matches(&uid("Some Name"), "some name"));
        let key = ChainEntry::Ed25519Key([0xab; 32]);
        assert!(name_matches(&key, &"AB".repeat(32)));
        assert!(!name_matches(&key, "ab"));
    }

    /// A user ID that is written like a DN is still a user ID: matched by its
    /// exact text only, never by parts, values or a respelling; a hex-looking
    /// user ID is not case-insensitive. As a DN the same text would match.
    #[test]
    fn a_dn_shaped_user_id_is_not_treated_as_a_dn() {
        let text = "CN=QA Department,O=Org A";
        assert!(name_matches(&uid(text), text));
        for part in [
            "QA Department",
            "CN=QA Department",
            "O=Org A",
            "cn=QA Department, o=Org A",
        ] {
            assert!(!name_matches(&uid(text), part), "{part}");
            assert!(name_matches(&dn(text), part), "{part}");
        }
        assert!(!name_matches(&uid("DEADBEEF"), "deadbeef"));
        assert!(!name_matches(&dn("DEADBEEF"), "deadbeef"));
    }

    #[test]
    fn signature_policy_parses_and_prints_its_names() {
        for p in SignaturePolicy::ALL {
            assert_eq!(p.to_string().parse::<SignaturePolicy>(), Ok(p));
        }
        assert_eq!("require".parse(), Ok(SignaturePolicy::Require));
        assert_eq!(SignaturePolicy::Ignore.to_string(), "ignore");
        assert!(matches!(
            "Require".parse::<SignaturePolicy>(),
            Err(super::ParsePolicyError { value }) if value == "Require"
        ));
        assert!("".parse::<SignaturePolicy>().is_err());
    }
}
