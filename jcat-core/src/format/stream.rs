//! Streaming catalog reader: the root object is walked by a small tokenizer
//! over the decompressed stream, and each element of `Items` is cut out and
//! parsed on its own with serde_json's fast slice parser. Memory is the
//! catalog being built plus one item's text; the document is never held whole.

use std::io::Read;

use serde_json::Value;

use super::convert::{as_u32, convert_item, required};
use super::tokenizer::{json_err, utf8_or_json_err, Src};
use super::wire::WireItem;
use crate::error::Location;
use crate::model::{Catalog, Item};
use crate::{Error, Limits, Result};

/// Where the items of a streamed catalog go, one at a time, in file order.
pub(crate) trait ItemSink {
    /// `Items` starts; the version members seen before it, if any.
    fn begin(&mut self, major: Option<&Value>, minor: Option<&Value>) -> Result<()>;
    /// The next item (already validated; its ID is not a duplicate).
    fn item(&mut self, item: Item) -> Result<()>;
}

/// Collects the items (the in-memory catalog).
struct Collect(Vec<Item>);

impl ItemSink for Collect {
    fn begin(&mut self, _: Option<&Value>, _: Option<&Value>) -> Result<()> {
        Ok(())
    }
    fn item(&mut self, item: Item) -> Result<()> {
        self.0.push(item);
        Ok(())
    }
}

/// Parses a catalog from a decompressed JSON stream.
pub(crate) fn parse(reader: impl Read, limits: &Limits) -> Result<Catalog> {
    let mut all = Collect(Vec::new());
    let (major, minor) = parse_with(reader, limits, &mut all)?;
    Catalog::from_items(major, minor, all.0)
}

/// Parses a decompressed JSON stream, handing each item to `sink` as soon
/// as it is read; returns the version. Memory is one item's text plus the
/// set of IDs seen (duplicates are refused as they come).
pub(crate) fn parse_with(
    reader: impl Read,
    limits: &Limits,
    sink: &mut dyn ItemSink,
) -> Result<(u32, u32)> {
    let mut src = Src {
        r: reader,
        buf: vec![0u8; 1 << 16],
        pos: 0,
        len: 0,
        line: 1,
        col: 1,
    };
    let root = Location::root();
    let (mut major, mut minor): (Option<Value>, Option<Value>) = (None, None);
    let mut items: Option<usize> = None;
    let mut ids = std::collections::HashSet::new();
    let mut scratch = Vec::new();
    src.expect(b'{', "a JSON object")?;
    if 1 > limits.max_depth {
        return Err(Error::Limit {
            limit: "max_depth",
            value: 1,
            max: limits.max_depth as u64,
        });
    }
    let mut first = true;
    loop {
        match src.skip_ws()? {
            Some(b'}') if first => {
                src.bump(b'}');
                break;
            }
            Some(b'"') => {}
            Some(_) => return Err(src.err("key must be a string")),
            None => return Err(src.err("EOF while parsing an object")),
        }
        let (kl, kc) = (src.line, src.col);
        src.capture(
            &mut scratch,
            Some(limits.max_string_len),
            1,
            limits.max_depth,
        )?;
        let key: String = serde_json::from_slice(&scratch).map_err(|e| json_err(&e, kl, kc))?;
        src.expect(b':', "`:`")?;
        match key.as_str() {
            "Items" => {
                if items.is_some() {
                    return Err(src.err("duplicate field `Items`"));
                }
                let count = items.insert(0);
                if src.skip_ws()? != Some(b'[') {
                    return Err(Error::InvalidMember {
                        location: root.clone(),
                        member: "Items",
                        expected: "an array",
                    });
                }
                src.bump(b'[');
                if 2 > limits.max_depth {
                    return Err(Error::Limit {
                        limit: "max_depth",
                        value: 2,
                        max: limits.max_depth as u64,
                    });
                }
                sink.begin(major.as_ref(), minor.as_ref())?;
                let mut first_item = true;
                loop {
                    match src.skip_ws()? {
                        Some(b']') if first_item => {
                            src.bump(b']');
                            break;
                        }
                        None => return Err(src.err("EOF while parsing a list")),
                        _ => {}
                    }
                    first_item = false;
                    let index = *count;
                    Limits::check("max_items", index as u64 + 1, limits.max_items as u64)?;
                    let (il, ic) = (src.line, src.col);
                    src.capture(
                        &mut scratch,
                        Some(limits.max_item_size),
                        2,
                        limits.max_depth,
                    )?;
                    let wi: WireItem = serde_json::from_slice(&scratch)
                        .map_err(|e| utf8_or_json_err(&scratch, &e, il, ic))?;
                    let item = convert_item(wi, Location::item(index), limits)?;
                    if !ids.insert(item.id.clone()) {
                        return Err(Error::DuplicateId(item.id));
                    }
                    *count += 1;
                    sink.item(item)?;
                    match src.skip_ws()? {
                        Some(b',') => src.bump(b','),
                        Some(b']') => {
                            src.bump(b']');
                            break;
                        }
                        Some(_) => return Err(src.err("expected `,` or `]`")),
                        None => return Err(src.err("EOF while parsing a list")),
                    }
                }
            }
            other => {
                let (vl, vc) = (src.line, src.col);
                let slot = match other {
                    "JcatVersionMajor" => Some(&mut major),
                    "JcatVersionMinor" => Some(&mut minor),
                    _ => None,
                };
                // Unknown strings, objects and arrays are skipped without
                // being stored (their structure is still checked).
                let container = matches!(src.skip_ws()?, Some(b'"' | b'{' | b'['));
                if slot.is_none() && container {
                    src.capture(&mut scratch, None, 1, limits.max_depth)?;
                    first = false;
                    match src.skip_ws()? {
                        Some(b',') => {
                            src.bump(b',');
                            continue;
                        }
                        Some(b'}') => {
                            src.bump(b'}');
                            break;
                        }
                        Some(_) => return Err(src.err("expected `,` or `}`")),
                        None => return Err(src.err("EOF while parsing an object")),
                    }
                }
                src.capture(
                    &mut scratch,
                    Some(limits.max_string_len),
                    1,
                    limits.max_depth,
                )?;
                let value: Value = serde_json::from_slice(&scratch)
                    .map_err(|e| utf8_or_json_err(&scratch, &e, vl, vc))?;
                if let Some(slot) = slot {
                    if slot.is_some() {
                        return Err(src.err(format!("duplicate field `{other}`")));
                    }
                    *slot = Some(value);
                }
            }
        }
        first = false;
        match src.skip_ws()? {
            Some(b',') => src.bump(b','),
            Some(b'}') => {
                src.bump(b'}');
                break;
            }
            Some(_) => return Err(src.err("expected `,` or `}`")),
            None => return Err(src.err("EOF while parsing an object")),
        }
    }
    if src.skip_ws()?.is_some() {
        return Err(src.err("trailing characters"));
    }
    let major = required(major, &root, "JcatVersionMajor")?;
    let major = as_u32(&major, &root, "JcatVersionMajor")?;
    let minor = required(minor, &root, "JcatVersionMinor")?;
    let minor = as_u32(&minor, &root, "JcatVersionMinor")?;
    required(items, &root, "Items")?;
    Ok((major, minor))
}
