//! Human output helpers.

/// Makes untrusted text safe for one output line: control characters
/// (newlines included) are shown escaped instead of moving the cursor.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(one_line("a\nb\x1b[31m"), "a\\nb\\u{1b}[31m");
        assert_eq!(one_line("plain é"), "plain é");
    }
}

/// The `verify --json` document (schema in `docs/verify-json.md`).
pub mod json {
    use serde::{Deserialize, Serialize};

    /// The whole report.
    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    pub struct Report {
        /// `passed` or `failed`.
        pub verdict: String,
        /// The jcat version that made the report.
        pub tool_version: String,
        /// When the verification ran (RFC 3339 UTC).
        pub time: String,
        /// The time validity periods were judged at (now or `--at`; `null`
        /// with `--disable-time-checks`).
        pub validity_time: Option<String>,
        /// One entry per verified item, in catalog order.
        pub items: Vec<ItemJson>,
        /// With `--strict-set`: files under the prefix no item names.
        pub unlisted: Vec<String>,
        /// Trust files that were not used, with reasons.
        pub skipped_keys: Vec<SkippedKeyJson>,
    }

    /// One item.
    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    pub struct ItemJson {
        /// Item ID.
        pub id: String,
        /// Payload path read, if found.
        pub path: Option<String>,
        /// `passed` or `failed`.
        pub result: String,
        /// Item-level error (payload missing …).
        pub error: Option<String>,
        /// Policy rules broken.
        pub policy_failures: Vec<String>,
        /// Blob verdicts.
        pub blobs: Vec<BlobJson>,
    }

    /// One blob.
    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    pub struct BlobJson {
        /// Kind name (`kind-N` for unknown numbers).
        pub kind: String,
        /// Target kind name or null.
        pub target: Option<String>,
        /// `passed`, `failed` or `skipped`.
        pub result: String,
        /// Authority of a passed signature.
        pub authority: Option<String>,
        /// Signing time of a passed signature (unix seconds).
        pub timestamp: Option<i64>,
        /// Verified chain, signer first.
        pub chain: Vec<String>,
        /// Why it failed or was skipped.
        pub reason: Option<String>,
        /// What a passed transparency blob established, else null.
        pub transparency: Option<TransparencyJson>,
    }

    /// The facts of a passed bt-checkpoint / bt-inclusion-proof line.
    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    pub struct TransparencyJson {
        /// The log key that signed the checkpoint (`name+keyid`).
        pub log: String,
        /// The checkpoint origin.
        pub origin: String,
        /// The checkpoint's tree size.
        pub tree_size: u64,
        /// The manifest's leaf index (inclusion proofs), else null.
        pub leaf_index: Option<u64>,
        /// Witnesses whose cosignature verified (`name+keyid`).
        pub witnesses: Vec<String>,
    }

    /// A trust file that was skipped.
    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    pub struct SkippedKeyJson {
        /// The file.
        pub path: String,
        /// Why.
        pub reason: String,
    }
}

/// Builds the `--json` document.
pub fn json_report(
    reports: &[jcat_core::ItemReport],
    unlisted: &[std::path::PathBuf],
    trust: &jcat_core::TrustStore,
    passed: bool,
    times: (i64, Option<i64>),
) -> String {
    use jcat_core::Outcome;
    use json::*;
    let verdict = |ok: bool| if ok { "passed" } else { "failed" }.to_owned();
    let doc = Report {
        verdict: verdict(passed),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        time: jcat_core::format::format_timestamp(times.0).unwrap_or_default(),
        validity_time: times.1.and_then(jcat_core::format::format_timestamp),
        items: reports
            .iter()
            .map(|r| ItemJson {
                id: r.id.clone(),
                path: r.path.as_ref().map(|p| p.display().to_string()),
                result: verdict(r.passed()),
                error: r.error.as_ref().map(ToString::to_string),
                policy_failures: r.policy_failures.iter().map(ToString::to_string).collect(),
                blobs: r
                    .blobs
                    .iter()
                    .map(|b| {
                        let (result, v, reason) = match &b.outcome {
                            Outcome::Passed(v) => ("passed", Some(v), None),
                            Outcome::Failed(m) => ("failed", None, Some(m.to_string())),
                            Outcome::Skipped(m) => ("skipped", None, Some(m.to_string())),
                        };
                        BlobJson {
                            kind: b.kind.to_string(),
                            target: b.target.map(|t| t.to_string()),
                            result: result.into(),
                            authority: v.and_then(|v| v.authority.clone()),
                            timestamp: v.map(|v| v.timestamp),
                            chain: v
                                .map(|v| v.chain.iter().map(ToString::to_string).collect())
                                .unwrap_or_default(),
                            reason,
                            transparency: b.transparency.as_ref().map(|t| TransparencyJson {
                                log: t.log.clone(),
                                origin: t.origin.clone(),
                                tree_size: t.tree_size,
                                leaf_index: t.leaf_index,
                                witnesses: t.witnesses.clone(),
                            }),
                        }
                    })
                    .collect(),
            })
            .collect(),
        unlisted: unlisted.iter().map(|p| p.display().to_string()).collect(),
        skipped_keys: trust
            .skipped()
            .iter()
            .map(|s| SkippedKeyJson {
                path: s.path.display().to_string(),
                reason: s.reason.clone(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
