//! The x509-limbo conformance harness: every applicable case of
//! `../shared/conformance/limbo.json` through the chain code `verify` uses —
//! a real CMS signature (signed here with the leaf's key) when the case gives
//! the key, otherwise the path validation alone. Skip rules and the list of
//! known disagreements live in `docs/conformance.md` (parsed here, so the
//! document and the test agree).

use std::path::Path;

use super::budget::Budget;
use super::cert::CertView;
use super::chain;
use crate::engine::{self, ChainStrictness, SigError, TimeCheck, VerifyContext};
use crate::trust::TrustStore;
use crate::{BlobKind, Limits, Payload};

const SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/conformance/limbo.json"
);
const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/conformance.md");
const PAYLOAD: &[u8] = b"limbo payload";

/// Why a case does not apply to code signing, or `None` when it counts.
fn skip_reason(case: &serde_json::Value) -> Option<&'static str> {
    let id = case["id"].as_str().unwrap_or_default();
    let strs = |k: &str| -> Vec<String> {
        case[k]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    if strs("extended_key_usage").iter().any(|e| e == "serverAuth") {
        return Some("asks for the serverAuth EKU (TLS only)");
    }
    const PEER_NAME: &[&str] = &[
        "webpki::san::",
        "webpki::cn::",
        "rfc5280::ca-as-leaf-wrong-san",
    ];
    if PEER_NAME.iter().any(|p| id.starts_with(p)) {
        return Some("verdict is hostname / SAN / CN matching against the peer name");
    }
    const CABF: &[&str] = &[
        "webpki::aki::",
        "webpki::eku::",
        "webpki::nc::permitted-dns-match-noncritical",
        "webpki::forbidden-rsa-not-divisible-by-8-in-root",
        "webpki::forbidden-rsa-key-not-divisible-by-8-in-leaf",
        "webpki::v1-cert",
        "webpki::ee-basicconstraints-ca",
        "webpki::ca-as-leaf",
    ];
    if CABF.iter().any(|p| id.starts_with(p)) {
        return Some("CA/Browser Forum rule (TLS profile)");
    }
    None
}

/// The ids listed under `## Exceptions` in docs/conformance.md
/// (lines `- \`id\` — reason`).
fn exceptions() -> Vec<(String, String)> {
    let Ok(doc) = std::fs::read_to_string(DOC) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut inside = false;
    for line in doc.lines() {
        if line.starts_with("## ") {
            inside = line.trim() == "## Exceptions";
            continue;
        }
        if let (true, Some(rest)) = (inside, line.strip_prefix("- `")) {
            if let Some((id, reason)) = rest.split_once('`') {
                out.push((
                    id.to_string(),
                    reason.trim_start_matches([' ', '—', '-']).to_string(),
                ));
            }
        }
    }
    out
}

fn pem_der(pem: &str) -> Vec<u8> {
    pem_rfc7468::decode_vec(pem.as_bytes()).unwrap().1
}

fn time_of(case: &serde_json::Value) -> i64 {
    match case["validation_time"].as_str() {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp(),
        None => chrono::Utc::now().timestamp(),
    }
}

/// Runs one case; `Ok(path)` is SUCCESS.
fn run(case: &serde_json::Value) -> Result<Vec<String>, String> {
    let pems = |k: &str| -> Vec<String> {
        case[k]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut limits = Limits::default();
    if let Some(d) = case["max_chain_depth"].as_u64() {
        // limbo counts intermediates; ours counts the whole path.
        limits.max_chain_depth = usize::try_from(d).unwrap() + 2;
    }
    let mut trust = TrustStore::new();
    for (i, pem) in pems("trusted_certs").iter().enumerate() {
        trust.add_bytes(Path::new(&format!("trusted-{i}")), pem.as_bytes(), &limits);
    }
    for (i, pem) in pems("crls").iter().enumerate() {
        trust
            .add_crl_bytes(Path::new(&format!("crl-{i}")), pem.as_bytes(), &limits)
            .map_err(|e| format!("--crl refused: {e}"))?;
    }
    let at = time_of(case);
    let run = crate::trust::context::RunState::new();
    let ctx = VerifyContext {
        trust: &trust,
        time: TimeCheck::At(at),
        chain: ChainStrictness::Reference,
        limits: &limits,
        run: &run,
    };
    let leaf_pem = case["peer_certificate"].as_str().unwrap_or_default();
    let inter = pems("untrusted_intermediates");
    if let Some(key) = case["peer_certificate_key"].as_str() {
        let bundle: String = std::iter::once(leaf_pem.to_string())
            .chain(inter.iter().cloned())
            .collect();
        if let Ok(sig) = crate::sign::pkcs7::sign(
            Payload::Bytes(PAYLOAD),
            bundle.as_bytes(),
            key.as_bytes(),
            at,
        ) {
            let check = engine::prepare(BlobKind::Pkcs7, &sig, &ctx).map_err(|e| e.to_string())?;
            return engine::check_bytes(check, PAYLOAD, &ctx)
                .map(|v| v.chain.iter().map(ToString::to_string).collect())
                .map_err(|e| describe(&e));
        }
    }
    // The chain check alone.
    let leaf = pem_der(leaf_pem);
    let inter_der: Vec<Vec<u8>> = inter.iter().map(|p| pem_der(p)).collect();
    let mut embedded = vec![CertView::parse(&leaf).map_err(|e| format!("leaf: {e}"))?];
    embedded.extend(inter_der.iter().filter_map(|d| CertView::parse(d).ok()));
    let pool = chain::pool(embedded, &trust, &[]);
    let mut budget = Budget::new(
        limits.max_signature_checks_per_blob,
        &run.signature_checks,
        limits.max_signature_checks_per_run,
    );
    chain::validate(&pool, 0, &ctx, &mut budget).map_err(|e| describe(&e.into()))
}

fn describe(e: &SigError) -> String {
    format!("{e} [{e:?}]")
}

#[test]
fn limbo() {
    let Ok(text) = std::fs::read_to_string(SUITE) else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "the x509-limbo suite {SUITE} is missing in CI"
        );
        println!("SKIPPED: {SUITE} not found (x509-limbo suite)");
        return;
    };
    let suite: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = suite["testcases"].as_array().unwrap();
    let known = exceptions();
    let (mut passed, mut applicable, mut skipped) = (0, 0, 0);
    let mut unexpected = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        if skip_reason(case).is_some() {
            skipped += 1;
            continue;
        }
        applicable += 1;
        let expected_ok = case["expected_result"] == "SUCCESS";
        let got = run(case);
        if got.is_ok() == expected_ok {
            passed += 1;
            if known.iter().any(|(k, _)| k == id) {
                println!("limbo: {id} is listed as an exception but now agrees");
            }
            continue;
        }
        let got_s = match &got {
            Ok(path) => format!("SUCCESS via {path:?}"),
            Err(e) => format!("FAILURE: {e}"),
        };
        let listed = known.iter().find(|(k, _)| k == id);
        println!(
            "limbo: {id}: expected {}, got {got_s}{}",
            case["expected_result"].as_str().unwrap_or_default(),
            listed
                .map(|(_, r)| format!(" (exception: {r})"))
                .unwrap_or_default()
        );
        if listed.is_none() {
            unexpected.push(id.to_string());
        }
    }
    println!("limbo: {passed}/{applicable} (skipped {skipped})");
    assert!(
        unexpected.is_empty(),
        "disagreements not listed in docs/conformance.md: {unexpected:?}"
    );
}
