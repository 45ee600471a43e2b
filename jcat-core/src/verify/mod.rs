//! The one policy evaluator: verifies items blob by blob (one pass over each
//! payload) and decides, under a [`Policy`], whether an item passes.

use std::path::{Path, PathBuf};

use crate::digest::{DigestAlg, DigestSet};
use crate::engine::{
    self, checksum, ChainStrictness, PayloadCheck, SigError, TimeCheck, Verified, VerifyContext,
};
use crate::model::{Blob, BlobKind, Item};
use crate::payload::Payload;
use crate::trust::TrustStore;
use crate::{Error, Limits};

mod parallel;
pub use parallel::{verify_catalog_items, worker_count, Progress};

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

/// Everything a verification is judged by: the one policy evaluator's input,
/// used by [`verify_item`] and [`verify_catalog_items`] (and so by
/// `jcat-tool verify`, whose options map one to one onto the fields).
///
/// [`Policy::default`] is jcat-tool's behaviour at the current time:
/// validity periods judged now, reference chain rules, all kinds, signatures
/// verified when present, no required signers, no threshold. See
/// `docs/policy.md` for what each rule means and where it comes from.
///
/// The struct is `#[non_exhaustive]`: start from `Policy::default()` and set
/// the fields you need.
///
/// ```
/// use jcat_core::verify::{Policy, SignaturePolicy};
/// use jcat_core::{ChainStrictness, TimeCheck};
///
/// // A Jami-like plugin store: only end-entity code-signing certificates
/// // sign files, at least one signature from the QA department, judged at
/// // the time the package was published (pkg(5)).
/// let mut policy = Policy::default();
/// policy.chain = ChainStrictness::Strict;
/// policy.signatures = SignaturePolicy::Require;
/// policy.require_signers = vec!["CN=QA Department".into()];
/// policy.min_signers = 1;
/// policy.time = TimeCheck::At(1_767_225_600); // 2026-01-01T00:00:00Z
/// assert!(policy.kind_filter.is_none());
/// ```
///
/// Revocation lists are not part of the policy: they are trust material,
/// loaded into the [`TrustStore`] with the certificates
/// ([`TrustStore::add_file`], [`TrustStore::add_dir`],
/// [`TrustStore::add_crl_file`]), and always applied.
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
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            time: TimeCheck::At(chrono::Utc::now().timestamp()),
            chain: ChainStrictness::Reference,
            kind_filter: None,
            signatures: SignaturePolicy::Verify,
            require_signers: Vec::new(),
            min_signers: 0,
            limits: Limits::default(),
        }
    }
}

/// The verdict on one blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Valid (and trusted, for signatures).
    Passed(Verified),
    /// Invalid, untrusted or refused; the message.
    Failed(String),
    /// Not checked (no engine, policy); the reason.
    Skipped(String),
}

/// One blob's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobReport {
    /// Index in the item.
    pub index: usize,
    /// Kind.
    pub kind: BlobKind,
    /// Target, if any.
    pub target: Option<BlobKind>,
    /// libjcat's label (`pkcs7-of-sha256`).
    pub label: String,
    /// The verdict.
    pub outcome: Outcome,
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemReport {
    /// The item ID.
    pub id: String,
    /// The payload that was read, if found.
    pub path: Option<PathBuf>,
    /// Blob verdicts in order (up to an item-level error).
    pub blobs: Vec<BlobReport>,
    /// An error that stopped the item (payload missing, target missing …).
    pub error: Option<String>,
    /// Policy rules the item broke (signature required, thresholds …).
    pub policy_failures: Vec<String>,
}

impl ItemReport {
    /// Whether the item passes: no error, no FAILED blob, no policy failure.
    pub fn passed(&self) -> bool {
        self.error.is_none()
            && self.policy_failures.is_empty()
            && !self
                .blobs
                .iter()
                .any(|b| matches!(b.outcome, Outcome::Failed(_)))
    }

    /// libjcat's item message when it fails (`Validation failed` or the error).
    pub fn failure_message(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(e.clone());
        }
        if self.passed() {
            None
        } else if self
            .blobs
            .iter()
            .any(|b| matches!(b.outcome, Outcome::Failed(_)))
        {
            Some("Validation failed".into())
        } else {
            Some(self.policy_failures.join("; "))
        }
    }
}

/// Finds an item's payload under `base`: the ID, then each alias in order.
/// Names are joined with [`crate::fsutil::safe_join`], so nothing outside
/// `base` is read. Errors with libjcat's `Could not find a or b` message.
pub fn find_payload(base: &Path, item: &Item) -> Result<PathBuf, Error> {
    let mut tried = Vec::new();
    for (what, name) in
        std::iter::once(("item ID", &item.id)).chain(item.alias_ids.iter().map(|a| ("alias", a)))
    {
        let p = crate::fsutil::safe_join(base, name, what)?;
        if p.is_file() {
            return Ok(p);
        }
        tried.push(p);
    }
    Err(Error::PayloadNotFound(tried))
}

enum Plan {
    Done(Outcome),
    Checksum {
        alg: DigestAlg,
        data: Vec<u8>,
    },
    /// A checksum blob whose target is another checksum: computed on that text.
    Signature(Box<dyn PayloadCheck>),
    /// A signature over a checksum blob's text, valid only if that checksum
    /// blob matches the payload.
    TargetSignature {
        check: Result<Verified, SigError>,
        tie: Option<(DigestAlg, Vec<u8>, BlobKind)>,
    },
}

/// libjcat's allow-list check is `0xffffffff & (1ull << kind)`; on x86 the
/// shift count wraps at 64, so kinds 64..=95 are "allowed" again (and then
/// "not supported"). We reproduce the observable result exactly.
fn unsupported(kind: BlobKind) -> Outcome {
    let n = kind.to_u32();
    let name = kind.name().unwrap_or("(null)");
    if n % 64 >= 32 {
        Outcome::Failed(format!("Jcat engine kind '{name}' not allowed"))
    } else {
        Outcome::Skipped(format!("Jcat engine kind '{name}' not supported"))
    }
}

fn sig_outcome(r: Result<Verified, SigError>) -> Outcome {
    match r {
        Ok(v) => Outcome::Passed(v),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// Verifies one item against its payload under the policy.
pub fn verify_item(
    item: &Item,
    payload: Payload<'_>,
    trust: &TrustStore,
    policy: &Policy,
) -> ItemReport {
    verify_item_observed(item, payload, trust, policy, &|_| {})
}

/// [`verify_item`], calling `progress` with the number of payload bytes read
/// so far after each chunk (for a progress indicator; the library never
/// prints).
pub fn verify_item_observed(
    item: &Item,
    payload: Payload<'_>,
    trust: &TrustStore,
    policy: &Policy,
    progress: &(dyn Fn(u64) + Sync),
) -> ItemReport {
    let mut report = ItemReport {
        id: item.id.clone(),
        path: payload.path(),
        blobs: Vec::new(),
        error: None,
        policy_failures: Vec::new(),
    };
    let ctx = VerifyContext {
        trust,
        time: policy.time,
        chain: policy.chain,
        limits: &policy.limits,
    };
    let mut plans: Vec<(usize, &Blob, Plan)> = Vec::new();
    for (index, blob) in item.blobs.iter().enumerate() {
        if policy.kind_filter.is_some_and(|k| k != blob.kind) {
            continue;
        }
        let plan = match plan_blob(item, blob, &ctx, policy) {
            Ok(p) => p,
            Err(e) => {
                // libjcat aborts the whole item when a target is missing.
                report
                    .blobs
                    .extend(finish_plans(plans, &DigestSet::new(), &ctx, true));
                report.error = Some(e.to_string());
                return report;
            }
        };
        plans.push((index, blob, plan));
    }
    // One pass over the payload for every digest and stream the plans need.
    let mut set = DigestSet::new();
    let mut needs_payload = false;
    for (_, _, plan) in &plans {
        match plan {
            Plan::Checksum { alg, .. } => {
                set.request(*alg);
                needs_payload = true;
            }
            Plan::Signature(c) => {
                for a in c.digests_needed() {
                    set.request(a);
                }
                needs_payload = true;
            }
            Plan::TargetSignature {
                tie: Some((alg, _, _)),
                ..
            } => {
                set.request(*alg);
                needs_payload = true;
            }
            _ => {}
        }
    }
    if needs_payload {
        let mut raw: Vec<&mut Box<dyn PayloadCheck>> = plans
            .iter_mut()
            .filter_map(|(_, _, p)| match p {
                Plan::Signature(c) if c.wants_raw() => Some(c),
                _ => None,
            })
            .collect();
        let mut so_far = 0u64;
        let read = payload.for_each_chunk(|chunk| {
            set.update(chunk);
            for c in raw.iter_mut() {
                c.update(chunk);
            }
            so_far += chunk.len() as u64;
            progress(so_far);
        });
        if let Err(e) = read {
            report.error = Some(e.to_string());
            return report;
        }
    }
    report.blobs = finish_plans(plans, &set, &ctx, false);
    apply_policy(&mut report, policy);
    report
}

fn plan_blob(
    item: &Item,
    blob: &Blob,
    ctx: &VerifyContext<'_>,
    policy: &Policy,
) -> Result<Plan, Error> {
    let kind = blob.kind;
    if !kind.is_checksum() && !kind.is_signature() {
        return Ok(Plan::Done(unsupported(kind)));
    }
    if kind.is_signature() && policy.signatures == SignaturePolicy::Ignore {
        return Ok(Plan::Done(Outcome::Skipped(
            "signature checks disabled by policy".into(),
        )));
    }
    let Some(target) = blob.target else {
        if let Some(alg) = checksum::algorithm(kind) {
            return Ok(Plan::Checksum {
                alg,
                data: blob.data.clone(),
            });
        }
        return Ok(match engine::prepare(kind, &blob.data, ctx) {
            Ok(c) => Plan::Signature(c),
            Err(e) => Plan::Done(Outcome::Failed(e.to_string())),
        });
    };
    // The source is the item's single blob of the target kind.
    let source = item.blob_by_kind(target)?;
    if let Some(alg) = checksum::algorithm(kind) {
        let mut set = DigestSet::new();
        set.request(alg);
        set.update(&source.data);
        return Ok(Plan::Done(match checksum::verify(alg, &set, &blob.data) {
            Ok(()) => Outcome::Passed(checksum_verified()),
            Err(e) => Outcome::Failed(e.to_string()),
        }));
    }
    let check = engine::prepare(kind, &blob.data, ctx)
        .and_then(|c| engine::check_bytes(c, &source.data, ctx));
    let tie = checksum::algorithm(target).map(|alg| (alg, source.data.clone(), target));
    Ok(Plan::TargetSignature { check, tie })
}

fn checksum_verified() -> Verified {
    Verified {
        authority: None,
        timestamp: 0,
        keys: Vec::new(),
        chain: Vec::new(),
    }
}

fn finish_plans(
    plans: Vec<(usize, &Blob, Plan)>,
    set: &DigestSet,
    ctx: &VerifyContext<'_>,
    aborted: bool,
) -> Vec<BlobReport> {
    plans
        .into_iter()
        .map(|(index, blob, plan)| {
            let outcome = match plan {
                Plan::Done(o) => o,
                _ if aborted => Outcome::Skipped("item aborted".into()),
                Plan::Checksum { alg, data } => match checksum::verify(alg, set, &data) {
                    Ok(()) => Outcome::Passed(checksum_verified()),
                    Err(e) => Outcome::Failed(e.to_string()),
                },
                Plan::Signature(c) => sig_outcome(c.finish(set, ctx)),
                Plan::TargetSignature { check, tie } => match (check, tie) {
                    (Err(e), _) => Outcome::Failed(e.to_string()),
                    (Ok(v), None) => Outcome::Passed(v),
                    (Ok(v), Some((alg, text, target))) => match checksum::verify(alg, set, &text) {
                        Ok(()) => Outcome::Passed(v),
                        Err(e) => Outcome::Failed(format!(
                            "signed {target} checksum does not match the payload: {e}"
                        )),
                    },
                },
            };
            BlobReport {
                index,
                kind: blob.kind,
                target: blob.target,
                label: blob.label(),
                outcome,
            }
        })
        .collect()
}

/// Applies signature-count rules (require, thresholds, required signers).
fn apply_policy(report: &mut ItemReport, policy: &Policy) {
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
