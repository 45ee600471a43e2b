//! Domain types: catalogs, items, blobs. No I/O here.

mod blob;
mod catalog;
mod item;
mod kind;

pub use blob::{Blob, BlobFlags};
pub use catalog::{Catalog, NameIndex};
pub use item::Item;
pub use kind::{BlobKind, BlobMethod, KNOWN_KINDS};
