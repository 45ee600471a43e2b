//! C2SP `tlog-checkpoint` bodies: origin line, tree size (decimal u64, no
//! leading zeros), root hash (strict base64 of 32 bytes), then optional
//! non-empty extension lines; the text ends with `\n`.

use super::merkle::Hash;
use super::note::strict_b64;

/// Why a checkpoint body is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    /// Fewer than three lines, or no final newline.
    #[error("checkpoint has fewer than three lines")]
    TooShort,
    /// The origin line is empty.
    #[error("checkpoint origin is empty")]
    EmptyOrigin,
    /// The tree size is not a canonical decimal u64.
    #[error("checkpoint tree size {0:?} is not a decimal number without leading zeros that fits 64 bits")]
    BadSize(String),
    /// The root hash is not strict base64 of 32 bytes.
    #[error("checkpoint root hash is not base64 of 32 bytes")]
    BadRoot,
    /// An extension line is empty.
    #[error("checkpoint extension line is empty")]
    EmptyExtension,
    /// The origin is not the one the verifier expects.
    #[error("checkpoint origin {got:?} is not the expected {want:?}")]
    WrongOrigin {
        /// The checkpoint's origin.
        got: String,
        /// The expected origin.
        want: String,
    },
}

/// A parsed checkpoint body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Checkpoint {
    /// The log's origin string.
    pub origin: String,
    /// Number of leaves.
    pub size: u64,
    /// Root hash of the tree of that size.
    pub root: Hash,
    /// Extension lines, in order.
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// Parses the text of a signed note (ending with `\n`).
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let body = text.strip_suffix('\n').ok_or(CheckpointError::TooShort)?;
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(CheckpointError::TooShort);
        };
        if origin.is_empty() {
            return Err(CheckpointError::EmptyOrigin);
        }
        let canonical = !size.is_empty()
            && size.bytes().all(|b| b.is_ascii_digit())
            && (size == "0" || !size.starts_with('0'));
        let parsed = canonical.then(|| size.parse::<u64>().ok()).flatten();
        let size =
            parsed.ok_or_else(|| CheckpointError::BadSize(size.chars().take(40).collect()))?;
        let root: Hash = strict_b64(root)
            .and_then(|r| r.try_into().ok())
            .ok_or(CheckpointError::BadRoot)?;
        let extensions: Vec<String> = lines.map(str::to_string).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(CheckpointError::EmptyExtension);
        }
        Ok(Self {
            origin: origin.to_string(),
            size,
            root,
            extensions,
        })
    }

    /// The body text (`origin\nsize\nroot\n[extensions\n]`).
    pub fn to_text(&self) -> String {
        use base64::Engine as _;
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            base64::engine::general_purpose::STANDARD.encode(self.root)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "teTGc6YeGh7JS+A35cERwlW1AJW1mJOziFmvskk9420=";

    #[test]
    fn parses_and_round_trips() {
        let text = format!("lvfsqa\n7\n{ROOT}\nextra one\n");
        let c = Checkpoint::parse(&text).unwrap();
        assert_eq!((c.origin.as_str(), c.size), ("lvfsqa", 7));
        assert_eq!(c.extensions, vec!["extra one".to_string()]);
        assert_eq!(c.to_text(), text);
    }

    #[test]
    fn refuses_malformed_bodies() {
        type Expect = fn(&CheckpointError) -> bool;
        let cases: &[(&str, Expect)] = &[
            ("o\n7\n", |e| matches!(e, CheckpointError::TooShort)),
            ("o\n7\nROOT", |e| matches!(e, CheckpointError::TooShort)),
            ("\n7\nROOT\n", |e| matches!(e, CheckpointError::EmptyOrigin)),
            ("o\n07\nROOT\n", |e| {
                matches!(e, CheckpointError::BadSize(_))
            }),
            ("o\n+7\nROOT\n", |e| {
                matches!(e, CheckpointError::BadSize(_))
            }),
            ("o\n\nROOT\n", |e| matches!(e, CheckpointError::BadSize(_))),
            ("o\n18446744073709551616\nROOT\n", |e| {
                matches!(e, CheckpointError::BadSize(_))
            }),
            ("o\n7\nAAAA\n", |e| matches!(e, CheckpointError::BadRoot)),
            // 31 and 33 bytes.
            (
                "o\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n",
                |e| matches!(e, CheckpointError::BadRoot),
            ),
            (
                "o\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
                |e| matches!(e, CheckpointError::BadRoot),
            ),
            ("o\n7\nROOT\n\n", |e| {
                matches!(e, CheckpointError::EmptyExtension)
            }),
        ];
        for (text, ok) in cases {
            let text = text.replace("ROOT", ROOT);
            let e = Checkpoint::parse(&text).unwrap_err();
            assert!(ok(&e), "{text:?}: {e:?}");
        }
        assert_eq!(
            Checkpoint::parse(&format!("o\n18446744073709551615\n{ROOT}\n"))
                .unwrap()
                .size,
            u64::MAX
        );
        assert_eq!(
            Checkpoint::parse(&format!("o\n0\n{ROOT}\n")).unwrap().size,
            0
        );
    }
}
