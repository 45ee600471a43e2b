//! The one policy evaluator: verifies items blob by blob (one pass over each
//! payload) and decides, under a [`Policy`], whether an item passes.

use crate::trust::context::RunState;
use std::path::{Path, PathBuf};

use crate::digest::{DigestAlg, DigestSet};
use crate::engine::{self, checksum, PayloadCheck, SigError, Verified};
use crate::model::{Blob, BlobKind, Item};
use crate::payload::Payload;
use crate::trust::context::VerifyContext;
use crate::trust::TrustStore;

mod failure;
mod only_pq;
mod parallel;
mod policy;
mod prehash;
mod signature;
mod transparency;
mod verifier;
pub use failure::{Failure, ItemError, PolicyFailure, Skip, TargetError};
use policy::apply_policy;
pub use policy::{ParsePolicyError, Policy, SignaturePolicy};
pub use prehash::Prehashed;
pub use signature::verify_signature;
pub use transparency::TransparencyFacts;
pub use verifier::{CatalogReport, Verifier};

/// The verdict on one blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Valid (and trusted, for signatures).
    Passed(Verified),
    /// Invalid, untrusted or refused; why.
    Failed(Failure),
    /// Not checked (no engine, policy); why.
    Skipped(Skip),
}

/// One blob's line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
    /// What a PASSED transparency line established (origin, tree size,
    /// leaf index, witnesses).
    pub transparency: Option<TransparencyFacts>,
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ItemReport {
    /// The item ID.
    pub id: String,
    /// The payload that was read, if found.
    pub path: Option<PathBuf>,
    /// Blob verdicts in order (up to an item-level error).
    pub blobs: Vec<BlobReport>,
    /// An error that stopped the item (payload missing, target missing …).
    pub error: Option<ItemError>,
    /// Policy rules the item broke (signature required, thresholds …).
    pub policy_failures: Vec<PolicyFailure>,
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

    /// libjcat's item-level message after the blob lines: the error that
    /// stopped the item, else `Validation failed` when a blob FAILED, else
    /// none (policy failures have lines of their own).
    pub fn failure_message(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(e.to_string());
        }
        self.blobs
            .iter()
            .any(|b| matches!(b.outcome, Outcome::Failed(_)))
            .then(|| "Validation failed".into())
    }
}

/// Finds an item's payload under `base`: the ID, then each alias in order.
/// Names are joined as [`crate::fsutil::safe_join`] joins them, so nothing
/// outside `base` is read ([`ItemError::UnsafeName`]). Errors with
/// [`ItemError::PayloadNotFound`] (libjcat's `Could not find a or b`).
pub fn find_payload(base: &Path, item: &Item) -> Result<PathBuf, ItemError> {
    let mut tried = Vec::new();
    for (what, name) in
        std::iter::once(("item ID", &item.id)).chain(item.alias_ids.iter().map(|a| ("alias", a)))
    {
        let p = crate::fsutil::join_inside(base, name).map_err(|reason| ItemError::UnsafeName {
            what,
            name: name.clone(),
            base: base.to_path_buf(),
            reason,
        })?;
        if p.is_file() {
            return Ok(p);
        }
        tried.push(p);
    }
    Err(ItemError::PayloadNotFound { tried })
}

enum Plan {
    Done(Outcome),
    /// A transparency line judged without the payload.
    Bt(Outcome, Option<TransparencyFacts>),
    /// A bt-manifest's sha256, compared with the payload's.
    Manifest(String),
    Checksum {
        alg: DigestAlg,
        data: Vec<u8>,
    },
    Signature(Box<dyn PayloadCheck>),
    /// A blob whose target is a checksum blob of the item: `check` is its
    /// verdict over that blob's text, which counts only if the text matches
    /// the payload's digest (`alg`) in this run.
    Targeted {
        check: Result<Verified, Failure>,
        alg: DigestAlg,
        text: Vec<u8>,
        target: BlobKind,
    },
}

/// libjcat's allow-list check is `0xffffffff & (1ull << kind)`; on x86 the
/// shift count wraps at 64, so kinds 64..=95 are "allowed" again (and then
/// "not supported"). We reproduce the observable result exactly.
fn unsupported(kind: BlobKind) -> Outcome {
    let n = kind.to_u32();
    if n % 64 >= 32 {
        Outcome::Failed(Failure::KindNotAllowed { kind })
    } else {
        Outcome::Skipped(Skip::NotSupported { kind })
    }
}

fn sig_outcome(r: Result<Verified, SigError>) -> Outcome {
    match r {
        Ok(v) => Outcome::Passed(v),
        Err(SigError::Unbound { issuer }) => Outcome::Skipped(Skip::Unbound { issuer }),
        Err(e) => Outcome::Failed(Failure::Signature(e)),
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
    verify_item_in(
        item,
        payload,
        trust,
        policy,
        progress,
        &RunState::new(),
        None,
    )
}

/// [`verify_item_observed`] within a run: link results, prepared keys and
/// the per-run signature budget are shared with the run's other items.
/// `pre`: the payload's digests computed ahead ([`Prehashed`]), used
/// instead of a read when they cover every digest the checks ask for.
pub(crate) fn verify_item_in(
    item: &Item,
    payload: Payload<'_>,
    trust: &TrustStore,
    policy: &Policy,
    progress: &(dyn Fn(u64) + Sync),
    run: &RunState,
    pre: Option<prehash::ItemDigests>,
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
        run,
    };
    let log = policy
        .transparency
        .as_ref()
        .map(|t| (transparency::ItemLog::new(item, t), t));
    let mut plans: Vec<(usize, &Blob, Plan)> = Vec::new();
    for (index, blob) in item.blobs.iter().enumerate() {
        if policy.kind_filter.is_some_and(|k| k != blob.kind) {
            continue;
        }
        if let (Some((log, trust)), true) = (&log, blob.kind.is_transparency()) {
            let plan = match transparency::plan(item, blob.kind, &blob.data, log, trust) {
                transparency::BtPlan::Done(o, f) => Plan::Bt(o, f),
                transparency::BtPlan::Manifest(hex) => Plan::Manifest(hex),
            };
            plans.push((index, blob, plan));
            continue;
        }
        let plan = match plan_blob(item, blob, &ctx, policy) {
            Ok(p) => p,
            Err(e) => {
                // libjcat aborts the whole item when a target is missing.
                report
                    .blobs
                    .extend(finish_plans(plans, &DigestSet::new(), &ctx, true));
                report.error = Some(e);
                only_pq::apply_if(&mut report, item, trust, policy);
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
            Plan::Targeted { alg, .. } => {
                set.request(*alg);
                needs_payload = true;
            }
            Plan::Manifest(_) => {
                set.request(DigestAlg::Sha256);
                needs_payload = true;
            }
            _ => {}
        }
    }
    let wants_raw = plans
        .iter()
        .any(|(_, _, p)| matches!(p, Plan::Signature(c) if c.wants_raw()));
    let pre = pre.filter(|d| {
        !wants_raw
            && payload.path().as_deref() == Some(d.path.as_path())
            && set.algorithms().all(|a| d.set.state(a).is_some())
    });
    if let (true, Some(d)) = (needs_payload, pre) {
        // Hashed while the trust store loaded: the one read already made.
        set = d.set;
        progress(d.len);
    } else if needs_payload {
        // Digests and raw-payload checks may run on different cores (D54).
        let mut raw: Vec<RawCheck<'_>> = plans
            .iter_mut()
            .filter_map(|(_, _, p)| match p {
                Plan::Signature(c) if c.wants_raw() => Some(RawCheck(c)),
                _ => None,
            })
            .collect();
        let mut sinks: Vec<&mut dyn crate::digest::ChunkSink> = set.sinks_mut().collect();
        sinks.extend(
            raw.iter_mut()
                .map(|r| r as &mut dyn crate::digest::ChunkSink),
        );
        let read = payload.feed_io(sinks, usize::MAX, &mut |so_far| progress(so_far));
        if let Err(e) = read {
            report.error = Some(ItemError::read(payload.path(), &e));
            only_pq::apply_if(&mut report, item, trust, policy);
            return report;
        }
    }
    report.blobs = finish_plans(plans, &set, &ctx, false);
    only_pq::apply_if(&mut report, item, trust, policy);
    apply_policy(&mut report, policy);
    report
}

/// A signature check that reads the payload itself, as a fan-out sink.
struct RawCheck<'a>(&'a mut Box<dyn PayloadCheck>);

impl crate::digest::ChunkSink for RawCheck<'_> {
    fn feed(&mut self, chunk: &[u8]) {
        self.0.update(chunk);
    }

    fn cost(&self) -> u32 {
        // Ed25519 and OpenPGP stream through their own hash (SHA-512 or the
        // key's): counted as the dearest digest.
        crate::digest::alg_cost(DigestAlg::Sha512)
    }
}

fn plan_blob(
    item: &Item,
    blob: &Blob,
    ctx: &VerifyContext<'_>,
    policy: &Policy,
) -> Result<Plan, ItemError> {
    let kind = blob.kind;
    if !kind.is_checksum() && !kind.is_signature() {
        return Ok(Plan::Done(unsupported(kind)));
    }
    if kind.is_signature() && policy.signatures == SignaturePolicy::Ignore {
        return Ok(Plan::Done(Outcome::Skipped(Skip::PolicyIgnore)));
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
            Err(e) => Plan::Done(Outcome::Failed(Failure::Signature(e))),
        });
    };
    // Only a checksum blob can stand in for the payload, and only because it
    // is itself checked against the payload below; a bt-manifest stands in
    // through its `sha256` member, checked the same way (D22). Anything else
    // is refused before any signature work is done.
    if target != BlobKind::BtManifest && checksum::algorithm(target).is_none() {
        return Ok(Plan::Done(Outcome::Failed(
            TargetError::NotAChecksum { target }.into(),
        )));
    }
    // The source is the item's single blob of the target kind (libjcat
    // aborts the item when there is none, or several).
    let mut sources = item.blobs_by_kind(target);
    let source = sources.next().ok_or(ItemError::TargetMissing { target })?;
    if sources.next().is_some() {
        return Err(ItemError::TargetAmbiguous { target });
    }
    if let Some(inner) = source.target {
        return Ok(Plan::Done(Outcome::Failed(
            TargetError::Chained { target, inner }.into(),
        )));
    }
    let (alg, text) = match checksum::algorithm(target) {
        Some(alg) => (alg, source.data.clone()),
        None => match crate::engine::bt::blobs::manifest_sha256(&source.data) {
            Ok(hex) => (DigestAlg::Sha256, hex.into_bytes()),
            Err(e) => {
                return Ok(Plan::Done(Outcome::Failed(
                    TargetError::ManifestMalformed(e).into(),
                )))
            }
        },
    };
    let check = if let Some(own) = checksum::algorithm(kind) {
        let mut set = DigestSet::new();
        set.request(own);
        set.update(&source.data);
        checksum::verify(own, &set, &blob.data)
            .map(|()| checksum_verified())
            .map_err(Failure::from)
    } else {
        engine::prepare(kind, &blob.data, ctx)
            .and_then(|c| engine::check_bytes(c, &source.data, ctx))
            .map_err(Failure::from)
    };
    Ok(Plan::Targeted {
        check,
        alg,
        text,
        target,
    })
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
            let mut transparency = None;
            let outcome = match plan {
                Plan::Done(o) => o,
                Plan::Bt(o, f) => {
                    transparency = f;
                    o
                }
                _ if aborted => Outcome::Skipped(Skip::ItemAborted),
                Plan::Manifest(hex) => {
                    match checksum::verify(DigestAlg::Sha256, set, hex.as_bytes()) {
                        Ok(()) => Outcome::Passed(Verified {
                            authority: Some("sha256 of payload matches".into()),
                            ..checksum_verified()
                        }),
                        Err(m) => Outcome::Failed(Failure::Transparency(
                            crate::engine::bt::BtError::ManifestMismatch {
                                manifest: hex,
                                payload: m.expected,
                            },
                        )),
                    }
                }
                Plan::Checksum { alg, data } => match checksum::verify(alg, set, &data) {
                    Ok(()) => Outcome::Passed(checksum_verified()),
                    Err(e) => Outcome::Failed(e.into()),
                },
                Plan::Signature(c) => sig_outcome(c.finish(set, ctx)),
                Plan::Targeted {
                    check,
                    alg,
                    text,
                    target,
                } => match check {
                    Err(e) => Outcome::Failed(e),
                    Ok(v) => match checksum::verify(alg, set, &text) {
                        Ok(()) => Outcome::Passed(v),
                        Err(mismatch) => {
                            Outcome::Failed(TargetError::Mismatch { target, mismatch }.into())
                        }
                    },
                },
            };
            BlobReport {
                index,
                kind: blob.kind,
                target: blob.target,
                label: blob.label(),
                outcome,
                transparency,
            }
        })
        .collect()
}
