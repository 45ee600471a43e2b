//! Items verified in parallel across cores, reports delivered in catalog order.

use std::path::Path;

use super::{find_payload, verify_item_in, ItemReport, Policy};
use crate::model::Item;
use crate::payload::Payload;
use crate::trust::context::RunState;
use crate::trust::TrustStore;

/// Progress of one payload: the item, the payload size and the bytes read so far.
pub type Progress<'a> = &'a (dyn Fn(&Item, u64, u64) + Sync);

fn check_one(
    item: &Item,
    base: &Path,
    trust: &TrustStore,
    policy: &Policy,
    progress: Progress<'_>,
    run: &RunState,
    pre: Option<super::prehash::ItemDigests>,
) -> ItemReport {
    match find_payload(base, item) {
        Ok(path) => {
            let total = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let progress = |read| progress(item, total, read);
            verify_item_in(
                item,
                Payload::File(&path),
                trust,
                policy,
                &progress,
                run,
                pre,
            )
        }
        Err(e) => ItemReport {
            id: item.id.clone(),
            path: None,
            blobs: Vec::new(),
            error: Some(e),
            policy_failures: Vec::new(),
        },
    }
}

/// What one run over a catalog's items shares.
pub(crate) struct Job<'a> {
    /// Where the payloads are found.
    pub base: &'a Path,
    /// The trust store.
    pub trust: &'a TrustStore,
    /// The policy judged by.
    pub policy: &'a Policy,
    /// Items verified at once.
    pub threads: usize,
    /// Reading progress.
    pub progress: Progress<'a>,
    /// Link results, prepared keys, the per-run signature budget.
    pub run: &'a RunState,
    /// Digests computed while the trust store loaded, by item position.
    pub pre: Option<&'a super::Prehashed>,
}

/// Finds each item's payload under `job.base` (ID, then aliases, never
/// leaving it) and verifies it, on `job.threads` threads. `sink` receives
/// the reports in the order of `items` as soon as each one and all before it
/// are done. Each worker holds one payload buffer, so memory does not grow
/// with the payload sizes. The work is shared by [`crate::par::ordered_map`].
/// One run: `job.run` is shared by all items (link results, prepared keys,
/// the per-run signature budget). Called by [`super::Verifier`].
pub(crate) fn verify_catalog_items(
    items: &[&Item],
    job: &Job<'_>,
    mut sink: impl FnMut(ItemReport),
) {
    crate::par::ordered_map(
        items,
        job.threads,
        |i, item| {
            let pre = job.pre.and_then(|p| p.take(i, item));
            check_one(
                item,
                job.base,
                job.trust,
                job.policy,
                job.progress,
                job.run,
                pre,
            )
        },
        |_, report| sink(report),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Blob, BlobFlags, BlobKind};

    #[test]
    fn reports_arrive_in_catalog_order_and_match_serial() {
        let dir = tempfile::tempdir().unwrap();
        let mut items = Vec::new();
        for i in 0..40 {
            let name = format!("f{i}.bin");
            let data = vec![i as u8; 1000 + i * 5000];
            std::fs::write(dir.path().join(&name), &data).unwrap();
            let mut item = Item::new(name);
            let mut hex = crate::engine::checksum::create(crate::digest::DigestAlg::Sha256, &data);
            if i % 7 == 0 {
                hex = hex.to_uppercase();
            }
            item.blobs.push(Blob::new(
                BlobKind::Sha256,
                BlobFlags::IS_UTF8,
                hex.into_bytes(),
                None,
            ));
            items.push(item);
        }
        items.push(Item::new("missing.bin"));
        let refs: Vec<&Item> = items.iter().collect();
        let trust = TrustStore::new();
        let policy = Policy::new(crate::TimeCheck::At(chrono::Utc::now().timestamp()));
        let mut serial = Vec::new();
        let run = RunState::new();
        let job = |threads, progress, run| Job {
            base: dir.path(),
            trust: &trust,
            policy: &policy,
            threads,
            progress,
            run,
            pre: None,
        };
        verify_catalog_items(&refs, &job(1, &|_, _, _| {}, &run), |r| serial.push(r));
        let mut parallel = Vec::new();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let counting = |item: &Item, total: u64, read: u64| {
            assert!(read <= total, "{}: {read} > {total}", item.id);
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        let fresh = RunState::new();
        verify_catalog_items(&refs, &job(4, &counting, &fresh), |r| parallel.push(r));
        assert!(calls.into_inner() >= 40, "progress called per chunk");
        assert_eq!(serial, parallel);
        let ids: Vec<_> = parallel.iter().map(|r| r.id.as_str()).collect();
        let expected: Vec<_> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, expected);
        assert_eq!(parallel.iter().filter(|r| !r.passed()).count(), 7);
        assert!(
            matches!(
                &parallel[40].error,
                Some(super::super::ItemError::PayloadNotFound { tried })
                    if tried == &[dir.path().join("missing.bin")]
            ),
            "{:?}",
            parallel[40].error
        );
    }
}
