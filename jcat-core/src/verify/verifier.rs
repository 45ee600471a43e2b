//! [`Verifier`]: the one entry point that turns a catalog, a trust store and
//! a [`Policy`] into a [`CatalogReport`] with the overall verdict, so every
//! caller (the CLI included) gets the same answer without re-deriving it.

use std::path::{Path, PathBuf};

use super::{ItemReport, Outcome, Policy, Prehashed};
use crate::model::{Catalog, Item};
use crate::trust::TrustStore;

/// Progress callback: the item, its payload size and the bytes read so far.
type ProgressFn<'a> = dyn Fn(&Item, u64, u64) + Sync + 'a;

/// Verifies catalogs against one trust store under one [`Policy`].
///
/// ```
/// use jcat_core::{Policy, Verifier};
/// use jcat_core::{sign, BlobKind, Catalog, Item, Payload, TimeCheck, TrustStore};
///
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("fw.bin"), b"firmware")?;
/// let mut catalog = Catalog::new();
/// let item = catalog.add_item(Item::new("fw.bin"))?;
/// item.add_blob(sign::checksum_blob(BlobKind::Sha256, Payload::Bytes(b"firmware"), 0)?);
///
/// let trust = TrustStore::new();
/// let report = Verifier::new(&trust, Policy::new(TimeCheck::At(1_767_225_600)))
///     .threads(1)
///     .verify_catalog(&catalog, dir.path());
/// assert!(report.passed());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Verifier<'a> {
    trust: &'a TrustStore,
    policy: Policy,
    threads: Option<usize>,
    progress: Option<Box<ProgressFn<'a>>>,
    catalog_file: Option<PathBuf>,
    /// Taken by the next run: digests are never reused for a later one.
    prehashed: std::sync::Mutex<Option<Prehashed>>,
}

impl std::fmt::Debug for Verifier<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("policy", &self.policy)
            .field("threads", &self.threads)
            .field("catalog_file", &self.catalog_file)
            .finish_non_exhaustive()
    }
}

/// The verdict on a catalog: one report per item checked, in catalog order,
/// and (with [`Policy::strict_set`]) the files under the base directory that
/// no item names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CatalogReport {
    /// One report per item, in catalog order.
    pub items: Vec<ItemReport>,
    /// Files under the base directory no item (ID or alias) names, relative
    /// to it, sorted; empty unless [`Policy::strict_set`].
    pub unlisted: Vec<PathBuf>,
}

impl CatalogReport {
    /// The overall verdict: every item passed and no file is unlisted.
    pub fn passed(&self) -> bool {
        self.items.iter().all(ItemReport::passed) && self.unlisted.is_empty()
    }

    /// Blob counts over all items: (passed, failed, skipped).
    pub fn blob_counts(&self) -> (usize, usize, usize) {
        let mut n = (0, 0, 0);
        for b in self.items.iter().flat_map(|r| r.blobs.iter()) {
            match b.outcome {
                Outcome::Passed(_) => n.0 += 1,
                Outcome::Failed(_) => n.1 += 1,
                Outcome::Skipped(_) => n.2 += 1,
            }
        }
        n
    }
}

impl<'a> Verifier<'a> {
    /// A verifier judging by `policy` against `trust`.
    pub fn new(trust: &'a TrustStore, policy: Policy) -> Self {
        Self {
            trust,
            policy,
            threads: None,
            progress: None,
            catalog_file: None,
            prehashed: std::sync::Mutex::new(None),
        }
    }

    /// Items verified at once (default: one per free core, see
    /// [`crate::par::worker_count`]). Reports keep catalog order whatever the count.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = Some(n.max(1));
        self
    }

    /// Calls `f(item, payload size, bytes read)` while payloads are read
    /// (for a progress indicator; the library never prints).
    pub fn progress(mut self, f: impl Fn(&Item, u64, u64) + Sync + 'a) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    /// The catalog's own file, which [`Policy::strict_set`] never reports
    /// as unlisted when it lies under the base directory.
    pub fn catalog_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.catalog_file = Some(path.into());
        self
    }

    /// Payload digests computed ahead, while the trust store loaded
    /// ([`Prehashed::compute`] over the same item list as the following
    /// [`Verifier::verify_items`]): an item whose digests cover every digest
    /// its checks need is not read again. Only the next run uses them: a
    /// verifier that verifies again reads the payloads again. Digests made for another list are
    /// not used (they are matched by position and item ID, and by the
    /// payload file found).
    ///
    /// ```
    /// use std::sync::atomic::AtomicBool;
    /// use jcat_core::{sign, BlobKind, Catalog, Item, Payload, Policy, Prehashed};
    /// use jcat_core::{TimeCheck, TrustStore, Verifier};
    ///
    /// let dir = tempfile::tempdir()?;
    /// std::fs::write(dir.path().join("fw.bin"), b"firmware")?;
    /// let mut catalog = Catalog::new();
    /// let item = catalog.add_item(Item::new("fw.bin"))?;
    /// item.add_blob(sign::checksum_blob(BlobKind::Sha256, Payload::Bytes(b"firmware"), 0)?);
    /// let items: Vec<&Item> = catalog.items().iter().collect();
    /// let policy = Policy::new(TimeCheck::At(1_767_225_600));
    ///
    /// let loaded = AtomicBool::new(false);
    /// let (trust, pre) = std::thread::scope(|s| {
    ///     let loader = s.spawn(|| {
    ///         let trust = TrustStore::new(); // add_file, add_dir …
    ///         loaded.store(true, std::sync::atomic::Ordering::Release);
    ///         trust
    ///     });
    ///     let pre = Prehashed::compute(&items, dir.path(), &policy, 2, &loaded);
    ///     (loader.join().expect("loader"), pre)
    /// });
    /// let report = Verifier::new(&trust, policy)
    ///     .prehashed(pre)
    ///     .verify_items(&items, catalog.items(), dir.path(), |_| {});
    /// assert!(report.passed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn prehashed(self, pre: Prehashed) -> Self {
        if let Ok(mut slot) = self.prehashed.lock() {
            *slot = Some(pre);
        }
        self
    }

    /// The policy judged by.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Verifies every item of `catalog`, payloads found under `base`.
    pub fn verify_catalog(&self, catalog: &Catalog, base: &Path) -> CatalogReport {
        let items: Vec<&Item> = catalog.items().iter().collect();
        self.verify_items(&items, catalog.items(), base, |_| {})
    }

    /// Verifies `items` (a selection of `all`, the catalog's items), calling
    /// `on_item` with each report as soon as it and all before it are done
    /// (catalog order), then decides the verdict. With
    /// [`Policy::strict_set`], files under `base` that none of `all` names
    /// are unlisted.
    pub fn verify_items(
        &self,
        items: &[&Item],
        all: &[Item],
        base: &Path,
        mut on_item: impl FnMut(&ItemReport),
    ) -> CatalogReport {
        let threads = self
            .threads
            .unwrap_or_else(|| crate::par::worker_count(items.len()));
        let none = |_: &Item, _: u64, _: u64| {};
        let progress: &(dyn Fn(&Item, u64, u64) + Sync) = match &self.progress {
            Some(p) => p.as_ref(),
            None => &none,
        };
        let mut reports = Vec::with_capacity(items.len());
        // One run per call: a verifier (and its trust store) used for many
        // catalogs starts each with a fresh budget and empty caches.
        let run = crate::trust::context::RunState::new();
        let pre = self.prehashed.lock().ok().and_then(|mut p| p.take());
        let job = super::parallel::Job {
            base,
            trust: self.trust,
            policy: &self.policy,
            threads,
            progress,
            run: &run,
            pre: pre.as_ref(),
        };
        super::parallel::verify_catalog_items(items, &job, |r| {
            on_item(&r);
            reports.push(r);
        });
        let unlisted = if self.policy.strict_set {
            unlisted_files(base, self.catalog_file.as_deref(), all)
        } else {
            Vec::new()
        };
        CatalogReport {
            items: reports,
            unlisted,
        }
    }
}

/// Files under `base` that no item names (the catalog file excluded).
fn unlisted_files(base: &Path, catalog: Option<&Path>, items: &[Item]) -> Vec<PathBuf> {
    let names: std::collections::HashSet<PathBuf> = items
        .iter()
        .flat_map(|i| std::iter::once(&i.id).chain(i.alias_ids.iter()))
        .map(|n| Path::new(n).components().collect::<PathBuf>())
        .collect();
    let catalog_real = catalog.and_then(|c| c.canonicalize().ok());
    let mut extra = Vec::new();
    let mut stack = vec![base.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() || meta.file_type().is_symlink() {
                if catalog_real.is_some() && p.canonicalize().ok() == catalog_real {
                    continue;
                }
                let rel: PathBuf = p.strip_prefix(base).unwrap_or(&p).components().collect();
                if !names.contains(&rel) {
                    extra.push(rel);
                }
            }
        }
    }
    extra.sort();
    extra
}
