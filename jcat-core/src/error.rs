//! Typed errors. Context lives in the variants, not in formatted strings.

use std::fmt;
use std::path::PathBuf;

/// Where in a catalog something went wrong: item index and ID, blob index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// Index of the item in `Items` (0-based).
    pub item: Option<usize>,
    /// The item's `Id` when it was already read.
    pub item_id: Option<String>,
    /// Index of the blob in the item's `Blobs` (0-based).
    pub blob: Option<usize>,
}

impl Location {
    /// The top level of the document.
    pub fn root() -> Self {
        Self::default()
    }
    /// Item number `index`.
    pub fn item(index: usize) -> Self {
        Self {
            item: Some(index),
            ..Self::default()
        }
    }
    /// The same location with the item's ID known.
    pub fn with_id(mut self, id: &str) -> Self {
        self.item_id = Some(id.to_owned());
        self
    }
    /// Blob number `index` of this item.
    pub fn blob(&self, index: usize) -> Self {
        Self {
            blob: Some(index),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.item, &self.item_id) {
            (None, _) => f.write_str("file")?,
            (Some(i), Some(id)) => write!(f, "item {i} ({id:?})")?,
            (Some(i), None) => write!(f, "item {i}")?,
        }
        if let Some(b) = self.blob {
            write!(f, " blob {b}")?;
        }
        Ok(())
    }
}

/// Errors of the catalog format, lookups, limits and file handling.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Reading from or writing to a stream failed.
    #[error("I/O error: {0}")]
    Stream(#[source] std::io::Error),
    /// The gzip container is damaged or truncated.
    #[error("invalid gzip data: {0}")]
    Gzip(String),
    /// Neither gzip nor a JSON object.
    #[error("not a Jcat file: neither gzip-compressed nor a JSON object")]
    NotJcat,
    /// The JSON text does not parse.
    #[error("invalid JSON at line {line} column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// The document is not UTF-8.
    #[error("JSON data must be UTF-8 encoded")]
    NotUtf8,
    /// A required member is absent (libjcat: `failed to find X`).
    #[error("{location}: failed to find {member}")]
    MissingMember {
        /// Where.
        location: Location,
        /// The JSON member name.
        member: &'static str,
    },
    /// A member has the wrong type or an out-of-range value.
    #[error("{location}: invalid {member}: expected {expected}")]
    InvalidMember {
        /// Where.
        location: Location,
        /// The JSON member name.
        member: &'static str,
        /// What was expected.
        expected: &'static str,
    },
    /// A blob's `Data` is not valid base64 (binary blobs).
    #[error("{location}: invalid base64 in Data at offset {offset}")]
    Base64 {
        /// Where.
        location: Location,
        /// Byte offset of the first bad character.
        offset: usize,
    },
    /// A UTF-8 blob's `Data` contains a NUL character (libjcat would truncate it).
    #[error("{location}: Data of a UTF-8 blob contains a NUL character")]
    NulInData {
        /// Where.
        location: Location,
    },
    /// A UTF-8 blob holds bytes that are not UTF-8, so it cannot be written as JSON.
    #[error("{location}: Data of a UTF-8 blob is not valid UTF-8")]
    DataNotUtf8 {
        /// Where.
        location: Location,
    },
    /// Two items share one ID.
    #[error("duplicate item ID {0:?}")]
    DuplicateId(String),
    /// A configured limit was exceeded.
    #[error("limit exceeded: {limit} is {value}, at most {max} allowed")]
    Limit {
        /// Which limit (the field name of [`crate::Limits`]).
        limit: &'static str,
        /// The value seen (or a lower bound of it).
        value: u64,
        /// The configured maximum.
        max: u64,
    },
    /// No item has this ID or alias (libjcat: `failed to find X`).
    #[error("failed to find {0}")]
    ItemNotFound(String),
    /// Several items have this ID.
    #[error("multiple matches for {0}")]
    MultipleMatches(String),
    /// Several items have this alias.
    #[error("multiple aliases for {0}")]
    MultipleAliases(String),
    /// The catalog has no items.
    #[error("no items found")]
    NoItems,
    /// The catalog has several items, so there is no default.
    #[error("multiple items found, no default possible")]
    MultipleItems,
    /// The item has no blob of this kind (libjcat wording).
    #[error("no existing checksum of type {0}")]
    NoBlobOfKind(String),
    /// The item has several blobs of this kind (libjcat wording).
    #[error("multiple checksums of type {0}")]
    MultipleBlobsOfKind(String),
    /// A name that should become a path inside a directory would leave it.
    #[error("{what} {name:?} is not a safe path inside {}: {reason}", base.display())]
    UnsafePath {
        /// What the name is ("item ID", "AppstreamId" …).
        what: &'static str,
        /// The offending name.
        name: String,
        /// The directory it must stay in.
        base: PathBuf,
        /// Why it was refused.
        reason: &'static str,
    },
}

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
