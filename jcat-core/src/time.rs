//! Time as the checks see it: how validity periods are judged
//! ([`TimeCheck`]), which chain rules apply ([`ChainStrictness`]), and the
//! one RFC 3339 formatter used in messages and text dumps.
//!
//! A layer of its own, below the parsers that print dates (the catalog text
//! dump) and the checks that compare them (X.509 chains, OpenPGP validity):
//! it uses nothing else in the crate. The library never reads the clock; the
//! instant is always passed in.

/// How certificate and key validity periods are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeCheck {
    /// Validity must include this instant (unix seconds).
    At(i64),
    /// No validity-period checks at all (`--disable-time-checks`).
    Disabled,
}

/// Chain-building rules beyond RFC 5280's basics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ChainStrictness {
    /// libjcat's rule: any certificate that chains to a trusted one may sign,
    /// a trusted certificate may be the signer itself.
    #[default]
    Reference,
    /// The signer must be an end-entity certificate with digitalSignature
    /// (when KeyUsage is present) and codeSigning (when ExtendedKeyUsage is present).
    Strict,
}

/// `YYYY-MM-DDTHH:MM:SSZ` (GLib's ISO-8601 in UTC); `None` outside year 1..9999.
pub fn format_timestamp(ts: i64) -> Option<String> {
    use chrono::{Datelike, Timelike};
    let dt = chrono::DateTime::from_timestamp(ts, 0)?;
    let year = dt.year();
    if !(1..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    ))
}

/// RFC 3339 UTC for messages ([`format_timestamp`]); the number of seconds
/// itself when the instant is outside year 1..9999.
pub(crate) fn date(t: i64) -> String {
    format_timestamp(t).unwrap_or_else(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_formatter_for_dumps_and_messages() {
        assert_eq!(format_timestamp(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(date(1_675_209_600), "2023-02-01T00:00:00Z");
        assert_eq!(format_timestamp(-62_135_596_801), None);
        assert_eq!(date(-62_135_596_801), "-62135596801");
        assert_eq!(date(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(date(253_402_300_800), "253402300800");
    }
}
