//! One catalog entry: a file (its ID), its aliases and its blobs.

use super::{Blob, BlobKind};
use crate::{Error, Result};

/// An item: the checksums and signatures of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The ID, normally the file name relative to the catalog.
    pub id: String,
    /// Other names of the same file, in order, without duplicates.
    pub alias_ids: Vec<String>,
    /// Blobs in file order.
    pub blobs: Vec<Blob>,
}

impl Item {
    /// An item with no aliases and no blobs.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            alias_ids: Vec::new(),
            blobs: Vec::new(),
        }
    }

    /// Adds an alias; a no-op when it is already there (libjcat).
    pub fn add_alias(&mut self, alias: &str) {
        if !self.alias_ids.iter().any(|a| a == alias) {
            self.alias_ids.push(alias.to_owned());
        }
    }

    /// Removes an alias; returns whether it was there (a missing alias is no error).
    pub fn remove_alias(&mut self, alias: &str) -> bool {
        match self.alias_ids.iter().position(|a| a == alias) {
            Some(i) => {
                self.alias_ids.remove(i);
                true
            }
            None => false,
        }
    }

    /// Whether `name` is the ID or one of the aliases.
    pub fn has_name(&self, name: &str) -> bool {
        self.id == name || self.alias_ids.iter().any(|a| a == name)
    }

    /// All blobs of a kind, in order.
    pub fn blobs_by_kind(&self, kind: BlobKind) -> impl Iterator<Item = &Blob> {
        self.blobs.iter().filter(move |b| b.kind == kind)
    }

    /// The single blob of a kind; errors as libjcat when there is none or several.
    pub fn blob_by_kind(&self, kind: BlobKind) -> Result<&Blob> {
        let mut it = self.blobs_by_kind(kind);
        let first = it
            .next()
            .ok_or_else(|| Error::NoBlobOfKind(kind.to_string()))?;
        if it.next().is_some() {
            return Err(Error::MultipleBlobsOfKind(kind.to_string()));
        }
        Ok(first)
    }

    /// Whether any blob has a target.
    pub fn has_target(&self) -> bool {
        self.blobs.iter().any(|b| b.target.is_some())
    }

    /// Adds a blob.
    ///
    /// Checksums and kinds without an engine replace an existing blob with the
    /// same kind, target and AppstreamId (libjcat 0.2.3; the replacement goes to
    /// the end). Signatures are appended (libjcat ≥ 0.2.4), so that an item can
    /// carry signatures from several signers, unless an identical blob is
    /// already present.
    ///
    /// Old clients keep one blob per kind: libjcat 0.2.3 the last of each
    /// (kind, target, AppstreamId), older versions the last of each kind. So a
    /// target signature goes before the item's first plain signature of its
    /// kind (libjcat's README advice), and of several signatures with the same
    /// (kind, target, AppstreamId) old clients keep the one added last.
    pub fn add_blob(&mut self, blob: Blob) {
        if blob.kind.is_signature() {
            if self.blobs.iter().any(|b| {
                b.kind == blob.kind
                    && b.target == blob.target
                    && b.appstream_id == blob.appstream_id
                    && b.data == blob.data
            }) {
                return;
            }
            if blob.target.is_some() {
                if let Some(i) = self
                    .blobs
                    .iter()
                    .position(|b| b.kind == blob.kind && b.target.is_none())
                {
                    self.blobs.insert(i, blob);
                    return;
                }
            }
        } else {
            self.blobs.retain(|b| {
                !(b.kind == blob.kind
                    && b.target == blob.target
                    && b.appstream_id == blob.appstream_id)
            });
        }
        self.blobs.push(blob);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BlobFlags;

    fn blob(kind: BlobKind, data: &str) -> Blob {
        Blob::new(kind, BlobFlags::IS_UTF8, data.as_bytes().to_vec(), Some(1))
    }

    #[test]
    fn aliases_add_remove_like_libjcat() {
        let mut item = Item::new("filename.bin");
        item.add_alias("foo.bin");
        item.add_alias("bar.bin");
        item.add_alias("foo.bin");
        assert_eq!(item.alias_ids, ["foo.bin", "bar.bin"]);
        assert!(item.remove_alias("bar.bin"));
        assert!(!item.remove_alias("bar.bin"));
        assert_eq!(item.alias_ids, ["foo.bin"]);
        assert!(item.has_name("foo.bin"));
        assert!(item.has_name("filename.bin"));
        assert!(!item.has_name("bar.bin"));
    }

    #[test]
    fn blob_by_kind_errors() {
        let mut item = Item::new("a");
        assert!(matches!(
            item.blob_by_kind(BlobKind::Sha256),
            Err(Error::NoBlobOfKind(k)) if k == "sha256"
        ));
        item.blobs.push(blob(BlobKind::Sha256, "x"));
        assert_eq!(
            item.blob_by_kind(BlobKind::Sha256)
                .map(|b| &b.data[..])
                .ok(),
            Some(&b"x"[..])
        );
        item.blobs.push(blob(BlobKind::Sha256, "y"));
        assert!(matches!(
            item.blob_by_kind(BlobKind::Sha256),
            Err(Error::MultipleBlobsOfKind(k)) if k == "sha256"
        ));
    }

    #[test]
    fn checksums_replace_and_move_to_end_signatures_append() {
        let mut item = Item::new("a");
        item.add_blob(blob(BlobKind::Sha256, "old"));
        item.add_blob(blob(BlobKind::Sha1, "s1"));
        item.add_blob(blob(BlobKind::Sha256, "new"));
        let kinds: Vec<_> = item
            .blobs
            .iter()
            .map(|b| (b.kind, b.data.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                (BlobKind::Sha1, b"s1".to_vec()),
                (BlobKind::Sha256, b"new".to_vec())
            ]
        );
        item.add_blob(blob(BlobKind::Pkcs7, "sig1"));
        item.add_blob(blob(BlobKind::Pkcs7, "sig2"));
        item.add_blob(blob(BlobKind::Pkcs7, "sig2"));
        assert_eq!(item.blobs_by_kind(BlobKind::Pkcs7).count(), 2);
        let mut targeted = blob(BlobKind::Sha256, "t");
        targeted.target = Some(BlobKind::Sha256);
        item.add_blob(targeted);
        assert_eq!(item.blobs_by_kind(BlobKind::Sha256).count(), 2);
    }

    #[test]
    fn target_signatures_go_before_plain_ones_of_their_kind() {
        let mut item = Item::new("a");
        item.add_blob(blob(BlobKind::Sha256, "sum"));
        item.add_blob(blob(BlobKind::Pkcs7, "plain"));
        item.add_blob(blob(BlobKind::Gpg, "gpg"));
        let mut t = blob(BlobKind::Pkcs7, "of-sha256");
        t.target = Some(BlobKind::Sha256);
        item.add_blob(t);
        let mut g = blob(BlobKind::Gpg, "gpg-of-sha256");
        g.target = Some(BlobKind::Sha256);
        item.add_blob(g);
        item.add_blob(blob(BlobKind::Pkcs7, "second signer"));
        let data: Vec<&[u8]> = item.blobs.iter().map(|b| &b.data[..]).collect();
        assert_eq!(
            data,
            [
                &b"sum"[..],
                b"of-sha256",
                b"plain",
                b"gpg-of-sha256",
                b"gpg",
                b"second signer"
            ]
        );
    }
}
