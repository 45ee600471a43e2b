//! `verify FILENAME [SOURCE]`: per-item and per-blob lines as the reference
//! prints them; `--json` for one machine-readable report.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use jcat_core::{Catalog, ChainStrictness, Item, Prehashed, TrustStore};
use jcat_core::{CatalogReport, ItemReport, Outcome, Policy, Verifier};

use crate::context::Context;
use crate::error::CliError;
use crate::output::{self, one_line};

fn policy(ctx: &Context) -> Result<Policy, CliError> {
    let mut p = Policy::new(ctx.time_check()?);
    p.chain = if ctx.args.strict_chain {
        ChainStrictness::Strict
    } else {
        ChainStrictness::Reference
    };
    p.kind_filter = ctx.kind;
    p.signatures = ctx.args.policy;
    p.require_signers = ctx.args.require_signer.clone();
    p.min_signers = ctx.args.min_signers.unwrap_or(0);
    p.limits = ctx.limits.clone();
    p.transparency = log_trust(ctx)?;
    p.require_transparency = ctx.args.require_transparency;
    p.only_pq = ctx.args.only_pq;
    p.strict_set = ctx.args.strict_set;
    Ok(p)
}

/// The transparency options: log and witness keys given as vkey text or as
/// files holding one; the rules need a log key.
fn log_trust(ctx: &Context) -> Result<Option<jcat_core::transparency::LogTrust>, CliError> {
    use jcat_core::transparency::{KeyRole, LogTrust};
    let a = &ctx.args;
    if a.bt_verifier.is_empty() {
        let needs = [
            ("--bt-origin", a.bt_origin.is_some()),
            ("--bt-witness", !a.bt_witness.is_empty()),
            ("--bt-witness-quorum", a.bt_witness_quorum.is_some()),
            ("--require-transparency", a.require_transparency),
        ];
        if let Some((name, _)) = needs.iter().find(|(_, given)| *given) {
            return Err(CliError::usage_short(format!(
                "Failed to parse arguments: {name} needs --bt-verifier (the log key to trust)"
            )));
        }
        return Ok(None);
    }
    let mut trust = LogTrust::default();
    trust.origin = a.bt_origin.clone();
    trust.quorum = a.bt_witness_quorum.unwrap_or(0);
    for (option, want, values) in [
        ("--bt-verifier", KeyRole::Log, &a.bt_verifier),
        ("--bt-witness", KeyRole::Witness, &a.bt_witness),
    ] {
        for v in values {
            let path = Path::new(v);
            let text = if path.is_file() {
                std::fs::read_to_string(path).map_err(|e| {
                    CliError::error(format!(
                        "Failed to load {option} {v}: {}",
                        crate::error::io_text(&e)
                    ))
                })?
            } else {
                v.clone()
            };
            let role = trust
                .add_vkey(text.trim())
                .map_err(|e| CliError::error(format!("Failed to load {option} {v}: {e}")))?;
            if role != want {
                let other = if want == KeyRole::Log {
                    "witness"
                } else {
                    "log"
                };
                return Err(CliError::error(format!(
                    "Failed to load {option} {v}: this is a {other} key"
                )));
            }
        }
    }
    if trust.quorum > trust.witnesses.len() {
        return Err(CliError::usage_short(format!(
            "Failed to parse arguments: --bt-witness-quorum {} needs at least as many --bt-witness keys ({} given)",
            trust.quorum,
            trust.witnesses.len()
        )));
    }
    Ok(Some(trust))
}

fn trust_store(ctx: &Context) -> Result<TrustStore, CliError> {
    // A trust path given explicitly must exist (a directory for --public-keys,
    // a file for the others): a typo must not silently verify less.
    let check = |what: &str, p: &Path, dir: bool| -> Result<(), CliError> {
        let fail =
            |why: String| CliError::error(format!("Failed to load {what} {}: {why}", p.display()));
        let meta = std::fs::metadata(p).map_err(|e| fail(crate::error::io_text(&e)))?;
        match (dir, meta.is_dir()) {
            (true, false) => Err(fail("Not a directory".into())),
            (false, true) => Err(fail("Is a directory".into())),
            _ => Ok(()),
        }
    };
    for f in &ctx.args.public_key {
        check("public key", f, false)?;
    }
    for d in &ctx.args.public_keys {
        check("public key directory", d, true)?;
    }
    for f in &ctx.args.crl {
        check("CRL", f, false)?;
    }
    let mut trust = TrustStore::new();
    for f in &ctx.args.public_key {
        trust.add_file(f, &ctx.limits);
    }
    for d in &ctx.args.public_keys {
        trust.add_dir(d, &ctx.limits);
    }
    for f in &ctx.args.crl {
        // A revocation list asked for must load, and must not add trust.
        trust
            .add_crl_file(f, &ctx.limits)
            .map_err(|e| CliError::error(format!("Failed to load CRL {}: {e}", f.display())))?;
    }
    Ok(trust)
}

/// `--verbose`: what the trust store loaded and skipped.
fn print_trust(ctx: &Context, trust: &TrustStore) {
    if ctx.args.verbose {
        let mut err = std::io::stderr().lock();
        for l in trust.loaded() {
            let _ = writeln!(err, "loaded {}: {}", l.path.display(), l.what);
        }
        for s in trust.skipped() {
            let _ = writeln!(err, "skipped {}: {}", s.path.display(), s.reason);
        }
    }
}

/// The items to verify: the one named, or all.
fn select<'c>(
    ctx: &Context,
    cat: &'c Catalog,
    single: Option<&str>,
) -> Result<Vec<&'c Item>, CliError> {
    Ok(match single {
        Some(name) => vec![cat.item(&ctx.id_for(name))?],
        None => cat.items().iter().collect(),
    })
}

/// What `verify` needs before the first item: the catalog, the trust
/// store, and the payload digests computed while the store loaded.
type Loaded = (
    Result<Catalog, CliError>,
    Result<TrustStore, CliError>,
    Option<Prehashed>,
);

/// Loads the trust store on this thread while another loads the catalog
/// and then computes the payloads' checksums ([`Prehashed`]) on the worker
/// threads: a bundle of a thousand certificates takes milliseconds that
/// neither the catalog nor the items need wait for (issue 15 V5). The store
/// is built on the main thread (its memory then comes from the main
/// allocator arena, measured cheaper than a new thread's). Without trust
/// files there is nothing to wait for. The caller reports errors in the
/// order of the steps (catalog, policy, trust store, item).
fn load_overlapped(
    ctx: &Context,
    file: &str,
    policy: Option<&Policy>,
    single: Option<&str>,
) -> Loaded {
    let args = &ctx.args;
    if args.public_key.is_empty() && args.public_keys.is_empty() && args.crl.is_empty() {
        return (super::load(ctx, file), trust_store(ctx), None);
    }
    let loaded = AtomicBool::new(false);
    std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let cat = super::load(ctx, file)?;
            let pre = match (policy, select(ctx, &cat, single)) {
                (Some(policy), Ok(items)) => {
                    let threads = jcat_core::par::worker_count(items.len());
                    let base = ctx.prefix();
                    Some(Prehashed::compute(&items, &base, policy, threads, &loaded))
                }
                _ => None,
            };
            Ok((cat, pre))
        });
        let trust = trust_store(ctx);
        loaded.store(true, Ordering::Release);
        match reader.join() {
            Ok(Ok((cat, pre))) => (Ok(cat), trust, pre),
            Ok(Err(e)) => (Err(e), trust, None),
            Err(_) => (
                Err(CliError::error("Failed to load the catalog")),
                trust,
                None,
            ),
        }
    })
}

fn print_item(out: &mut dyn Write, r: &ItemReport, single: bool) -> Result<(), CliError> {
    writeln!(out, "{}:", one_line(&r.id))?;
    for b in &r.blobs {
        let label = one_line(&b.label);
        match &b.outcome {
            Outcome::Passed(v) => match &v.authority {
                None => writeln!(out, "    PASSED {label}: OK")?,
                Some(a) => writeln!(out, "    PASSED {label}: {}", one_line(a))?,
            },
            Outcome::Failed(m) => {
                writeln!(out, "    FAILED {label}: {}", one_line(&m.to_string()))?
            }
            Outcome::Skipped(m) => {
                writeln!(out, "    SKIPPED {label}: {}", one_line(&m.to_string()))?
            }
        }
    }
    for f in &r.policy_failures {
        writeln!(out, "    FAILED: {}", one_line(&f.to_string()))?;
    }
    if !single {
        if let Some(m) = r.failure_message() {
            writeln!(out, "    FAILED: {}", one_line(&m))?;
        }
    }
    Ok(())
}

/// The verbose one-line summary: `3 items, 11 blobs: 10 passed, 1 skipped`.
fn summary(report: &CatalogReport) -> String {
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let reports = &report.items;
    let unlisted = report.unlisted.len();
    let (passed, failed, skipped) = report.blob_counts();
    let mut s = format!(
        "{}, {}: {passed} passed",
        plural(reports.len(), "item"),
        plural(passed + failed + skipped, "blob")
    );
    if failed > 0 {
        s.push_str(&format!(", {failed} failed"));
    }
    if skipped > 0 {
        s.push_str(&format!(", {skipped} skipped"));
    }
    let failed_items = reports.iter().filter(|r| !r.passed()).count();
    if failed_items > 0 {
        s.push_str(&format!("; {} failed", plural(failed_items, "item")));
    }
    if unlisted > 0 {
        s.push_str(&format!("; {} not listed", plural(unlisted, "file")));
    }
    s
}

pub fn run(ctx: &Context, args: &[&str], out: &mut dyn Write) -> Result<u8, CliError> {
    let Some(file) = args.first() else {
        return Err(CliError::usage(
            "Invalid arguments, expected FILENAME [SOURCE]",
        ));
    };
    let policy = policy(ctx);
    let single = args.get(1).copied();
    let (cat, trust, pre) = load_overlapped(ctx, file, policy.as_ref().ok(), single);
    let cat = cat?;
    let policy = policy?;
    let trust = trust?;
    print_trust(ctx, &trust);
    let prefix = ctx.prefix();
    let items = select(ctx, &cat, single)?;
    // The process ends after this command: freeing a store of a thousand
    // certificates entry by entry would only add to the wait.
    let trust = std::mem::ManuallyDrop::new(trust);
    let mut print_error: Option<CliError> = None;
    let stream = !ctx.args.json && !ctx.args.quiet;
    let bars = crate::progress::Progress::new(crate::progress::wanted(!stream));
    let mut verifier = Verifier::new(&trust, policy);
    if let Some(pre) = pre {
        verifier = verifier.prehashed(pre);
    }
    let verifier = verifier
        .progress(|item: &Item, total: u64, read: u64| bars.update(&item.id, total, read))
        .catalog_file(Path::new(file));
    let report = verifier.verify_items(&items, cat.items(), &prefix, |r| {
        bars.done(&r.id);
        if stream && print_error.is_none() {
            let printed = bars.suspend(|| {
                print_item(out, r, single.is_some())?;
                out.flush().map_err(CliError::from)
            });
            if let Err(e) = printed {
                print_error = Some(e);
            }
        }
    });
    if let Some(e) = print_error {
        return Err(e);
    }
    let policy = verifier.policy();
    let (reports, unlisted) = (&report.items, &report.unlisted);
    let all_passed = report.passed();
    if ctx.args.verbose {
        let _ = writeln!(std::io::stderr().lock(), "{}", summary(&report));
    }
    if ctx.args.json {
        let validity = match policy.time {
            jcat_core::TimeCheck::At(t) => Some(t),
            _ => None,
        };
        let doc = output::json_report(reports, unlisted, &trust, all_passed, (ctx.now, validity));
        out.write_all(doc.as_bytes())?;
        out.write_all(b"\n")?;
        return Ok(if all_passed {
            0
        } else {
            crate::error::EXIT_FAILED
        });
    }
    for u in unlisted.iter().filter(|_| !ctx.args.quiet) {
        writeln!(out, "{}:", one_line(&u.to_string_lossy()))?;
        writeln!(out, "    FAILED: not listed in the catalog")?;
    }
    if all_passed {
        return Ok(0);
    }
    out.flush()?;
    match (&single, reports.first().and_then(|r| r.error.as_ref())) {
        (Some(_), Some(e)) => Err(CliError::failed(one_line(&e.to_string()))),
        _ => Err(CliError::failed("Validation failed")),
    }
}
