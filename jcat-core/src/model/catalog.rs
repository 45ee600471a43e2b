//! The catalog: a version and a list of items with unique IDs.

use std::collections::HashSet;

use super::Item;
use crate::{Error, Result};

/// A Jcat catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// `JcatVersionMajor`; new catalogs are 0.
    pub version_major: u32,
    /// `JcatVersionMinor`; new catalogs are 1.
    pub version_minor: u32,
    items: Vec<Item>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self::new()
    }
}

impl Catalog {
    /// An empty catalog, version 0.1.
    pub fn new() -> Self {
        Self {
            version_major: 0,
            version_minor: 1,
            items: Vec::new(),
        }
    }

    /// Builds a catalog from items, refusing duplicate IDs.
    pub fn from_items(version_major: u32, version_minor: u32, items: Vec<Item>) -> Result<Self> {
        let mut seen = HashSet::with_capacity(items.len());
        for item in &items {
            if !seen.insert(item.id.as_str()) {
                return Err(Error::DuplicateId(item.id.clone()));
            }
        }
        Ok(Self {
            version_major,
            version_minor,
            items,
        })
    }

    /// The items in file order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Mutable access to the items (IDs must stay unique: [`crate::save_path`]
    /// refuses duplicates).
    pub fn items_mut(&mut self) -> &mut [Item] {
        &mut self.items
    }

    /// Appends an item; an item with the same ID is an error.
    pub fn add_item(&mut self, item: Item) -> Result<&mut Item> {
        if self.items.iter().any(|i| i.id == item.id) {
            return Err(Error::DuplicateId(item.id));
        }
        self.items.push(item);
        let last = self.items.len() - 1;
        self.items
            .get_mut(last)
            .ok_or_else(|| Error::ItemNotFound(String::new()))
    }

    /// Removes the item with this exact ID and returns it.
    pub fn remove_item(&mut self, id: &str) -> Option<Item> {
        let pos = self.items.iter().position(|i| i.id == id)?;
        Some(self.items.remove(pos))
    }

    fn position(&self, name: &str) -> Result<usize> {
        let mut by_id = self.items.iter().enumerate().filter(|(_, i)| i.id == name);
        if let Some((pos, _)) = by_id.next() {
            if by_id.next().is_some() {
                return Err(Error::MultipleMatches(name.to_owned()));
            }
            return Ok(pos);
        }
        let mut by_alias = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.alias_ids.iter().any(|a| a == name));
        match (by_alias.next(), by_alias.next()) {
            (Some((pos, _)), None) => Ok(pos),
            (Some(_), Some(_)) => Err(Error::MultipleAliases(name.to_owned())),
            (None, _) => Err(Error::ItemNotFound(name.to_owned())),
        }
    }

    /// Finds an item by exact ID, then by alias. An ID match wins over aliases;
    /// several matches of the same sort are an error.
    pub fn item(&self, name: &str) -> Result<&Item> {
        let pos = self.position(name)?;
        self.items
            .get(pos)
            .ok_or_else(|| Error::ItemNotFound(name.to_owned()))
    }

    /// Mutable version of [`Catalog::item`].
    pub fn item_mut(&mut self, name: &str) -> Result<&mut Item> {
        let pos = self.position(name)?;
        self.items
            .get_mut(pos)
            .ok_or_else(|| Error::ItemNotFound(name.to_owned()))
    }

    /// The item with this ID or alias, or a new empty one appended with `name` as ID.
    pub fn item_or_insert(&mut self, name: &str) -> Result<&mut Item> {
        match self.position(name) {
            Ok(pos) => self
                .items
                .get_mut(pos)
                .ok_or_else(|| Error::ItemNotFound(name.to_owned())),
            Err(Error::ItemNotFound(_)) => self.add_item(Item::new(name)),
            Err(e) => Err(e),
        }
    }

    /// An index of IDs and aliases for many lookups (see [`NameIndex`]).
    pub fn name_index(&self) -> NameIndex {
        let mut idx = NameIndex::default();
        for (pos, item) in self.items.iter().enumerate() {
            idx.insert_item(pos, item);
        }
        idx
    }

    /// Mutable access to the item at a position from a [`NameIndex`].
    pub fn item_at_mut(&mut self, pos: usize) -> Option<&mut Item> {
        self.items.get_mut(pos)
    }

    /// The only item; errors when there are none or several (libjcat's
    /// `get_item_default`).
    pub fn default_item(&self) -> Result<&Item> {
        match self.items.as_slice() {
            [] => Err(Error::NoItems),
            [only] => Ok(only),
            _ => Err(Error::MultipleItems),
        }
    }
}

/// IDs and aliases mapped to item positions, so that looking up many names
/// is linear in the catalog size instead of quadratic. Same rules as
/// [`Catalog::item`]: an ID match wins, several matches of one sort are an error.
#[derive(Debug, Default, Clone)]
pub struct NameIndex {
    ids: std::collections::HashMap<String, Vec<usize>>,
    aliases: std::collections::HashMap<String, Vec<usize>>,
}

impl NameIndex {
    fn insert_item(&mut self, pos: usize, item: &Item) {
        self.ids.entry(item.id.clone()).or_default().push(pos);
        for a in &item.alias_ids {
            let v = self.aliases.entry(a.clone()).or_default();
            if !v.contains(&pos) {
                v.push(pos);
            }
        }
    }

    /// The position of the item named `name`, `None` when there is none.
    pub fn find(&self, name: &str) -> Result<Option<usize>> {
        match self.ids.get(name).map(Vec::as_slice) {
            Some([pos]) => return Ok(Some(*pos)),
            Some([_, _, ..]) => return Err(Error::MultipleMatches(name.to_owned())),
            _ => {}
        }
        match self.aliases.get(name).map(Vec::as_slice) {
            Some([pos]) => Ok(Some(*pos)),
            Some([_, _, ..]) => Err(Error::MultipleAliases(name.to_owned())),
            _ => Ok(None),
        }
    }

    /// Finds `name`, or appends a new item with that ID to `cat` (keeping the
    /// index up to date) and returns its position.
    pub fn find_or_insert(&mut self, cat: &mut Catalog, name: &str) -> Result<usize> {
        if let Some(pos) = self.find(name)? {
            return Ok(pos);
        }
        cat.add_item(Item::new(name))?;
        let pos = cat.items.len().saturating_sub(1);
        if let Some(item) = cat.items.get(pos) {
            self.insert_item(pos, item);
        }
        Ok(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, aliases: &[&str]) -> Item {
        let mut i = Item::new(id);
        for a in aliases {
            i.add_alias(a);
        }
        i
    }

    #[test]
    fn lookup_by_id_then_alias() {
        let cat = Catalog::from_items(
            0,
            1,
            vec![
                item("a.bin", &["b.bin"]),
                item("b.bin", &[]),
                item("c.bin", &["x"]),
            ],
        )
        .unwrap_or_default();
        assert_eq!(cat.item("b.bin").map(|i| i.id.as_str()).ok(), Some("b.bin"));
        assert_eq!(cat.item("x").map(|i| i.id.as_str()).ok(), Some("c.bin"));
        assert!(matches!(cat.item("dave.bin"), Err(Error::ItemNotFound(n)) if n == "dave.bin"));
    }

    #[test]
    fn ambiguous_alias_is_an_error() {
        let cat = Catalog::from_items(0, 1, vec![item("a", &["z"]), item("b", &["z"])])
            .unwrap_or_default();
        assert!(matches!(cat.item("z"), Err(Error::MultipleAliases(n)) if n == "z"));
    }

    #[test]
    fn duplicate_ids_are_refused() {
        assert!(matches!(
            Catalog::from_items(0, 1, vec![item("a", &[]), item("a", &[])]),
            Err(Error::DuplicateId(id)) if id == "a"
        ));
        let mut cat = Catalog::new();
        assert!(cat.add_item(item("a", &[])).is_ok());
        assert!(matches!(
            cat.add_item(item("a", &[])),
            Err(Error::DuplicateId(_))
        ));
    }

    #[test]
    fn default_item() {
        let mut cat = Catalog::new();
        assert!(matches!(cat.default_item(), Err(Error::NoItems)));
        assert!(cat.add_item(item("a", &[])).is_ok());
        assert_eq!(cat.default_item().map(|i| i.id.as_str()).ok(), Some("a"));
        assert!(cat.add_item(item("b", &[])).is_ok());
        assert!(matches!(cat.default_item(), Err(Error::MultipleItems)));
    }

    #[test]
    fn name_index_agrees_with_item_lookup() {
        let mut cat = Catalog::from_items(
            0,
            1,
            vec![item("a", &["z", "y"]), item("b", &["z"]), item("c", &["a"])],
        )
        .unwrap_or_default();
        let mut idx = cat.name_index();
        for name in ["a", "b", "c", "y", "z", "none"] {
            let by_scan = cat.item(name).map(|i| i.id.clone());
            let by_index = idx.find(name).map(|p| p.map(|p| cat.items()[p].id.clone()));
            match (by_scan, by_index) {
                (Ok(a), Ok(Some(b))) => assert_eq!(a, b),
                (Err(Error::ItemNotFound(_)), Ok(None)) => {}
                (Err(Error::MultipleAliases(_)), Err(Error::MultipleAliases(_))) => {}
                (x, y) => panic!("{name}: {x:?} vs {y:?}"),
            }
        }
        let pos = idx.find_or_insert(&mut cat, "new").unwrap();
        assert_eq!((pos, cat.items().len()), (3, 4));
        assert_eq!(idx.find_or_insert(&mut cat, "new").unwrap(), 3);
        assert_eq!(idx.find_or_insert(&mut cat, "y").unwrap(), 0);
    }

    #[test]
    fn item_or_insert_reuses_alias_match() {
        let mut cat = Catalog::from_items(0, 1, vec![item("a", &["alias"])]).unwrap_or_default();
        assert_eq!(
            cat.item_or_insert("alias").map(|i| i.id.clone()).ok(),
            Some("a".into())
        );
        assert_eq!(
            cat.item_or_insert("new").map(|i| i.id.clone()).ok(),
            Some("new".into())
        );
        assert_eq!(cat.items().len(), 2);
    }
}
