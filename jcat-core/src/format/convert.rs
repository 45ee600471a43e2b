//! Wire structs -> model: the member checks and conversions shared by the
//! streaming parser (`stream`), which `read` drives. The order is
//! convert <- stream <- read: none of them imports a later one.

use serde_json::Value;

use super::b64;
use super::wire::{WireBlob, WireItem};
use crate::error::Location;
use crate::model::{Blob, BlobFlags, BlobKind, Item};
use crate::{Error, Limits, Result};

pub(super) fn required<T>(v: Option<T>, loc: &Location, member: &'static str) -> Result<T> {
    v.ok_or_else(|| Error::MissingMember {
        location: loc.clone(),
        member,
    })
}

fn invalid(loc: &Location, member: &'static str, expected: &'static str) -> Error {
    Error::InvalidMember {
        location: loc.clone(),
        member,
        expected,
    }
}

fn as_u64(v: &Value, loc: &Location, member: &'static str) -> Result<u64> {
    v.as_u64()
        .ok_or_else(|| invalid(loc, member, "a non-negative integer"))
}

pub(super) fn as_u32(v: &Value, loc: &Location, member: &'static str) -> Result<u32> {
    u32::try_from(as_u64(v, loc, member)?)
        .map_err(|_| invalid(loc, member, "an integer from 0 to 4294967295"))
}

fn as_string(v: Value, loc: &Location, member: &'static str, limits: &Limits) -> Result<String> {
    match v {
        Value::String(s) => {
            Limits::check(
                "max_string_len",
                s.len() as u64,
                limits.max_string_len as u64,
            )?;
            Ok(s)
        }
        _ => Err(invalid(loc, member, "a string")),
    }
}

pub(super) fn convert_item(wi: WireItem, loc: Location, limits: &Limits) -> Result<Item> {
    let id = as_string(required(wi.id, &loc, "Id")?, &loc, "Id", limits)?;
    if id.is_empty() {
        return Err(invalid(&loc, "Id", "a non-empty string"));
    }
    if id.contains('\0') {
        return Err(invalid(&loc, "Id", "a string without NUL characters"));
    }
    let loc = loc.with_id(&id);
    let wire_blobs = required(wi.blobs, &loc, "Blobs")?;
    Limits::check(
        "max_blobs_per_item",
        wire_blobs.len() as u64,
        limits.max_blobs_per_item as u64,
    )?;
    let mut item = Item::new(id);
    item.blobs.reserve(wire_blobs.len());
    for (index, wb) in wire_blobs.into_iter().enumerate() {
        item.blobs.push(convert_blob(wb, loc.blob(index), limits)?);
    }
    if let Some(aliases) = wi.alias_ids {
        Limits::check(
            "max_aliases_per_item",
            aliases.len() as u64,
            limits.max_aliases_per_item as u64,
        )?;
        for alias in aliases {
            let alias = match alias {
                Value::String(s) if !s.contains('\0') => s,
                _ => return Err(invalid(&loc, "AliasIds", "an array of strings")),
            };
            Limits::check(
                "max_string_len",
                alias.len() as u64,
                limits.max_string_len as u64,
            )?;
            item.add_alias(&alias);
        }
    }
    Ok(item)
}

fn convert_blob(wb: WireBlob, loc: Location, limits: &Limits) -> Result<Blob> {
    // libjcat checks Kind, then Data, then Flags.
    let kind = required(wb.kind, &loc, "Kind")?;
    let data = required(wb.data, &loc, "Data")?;
    let flags = required(wb.flags, &loc, "Flags")?;
    let kind = BlobKind::from_u32(as_u32(&kind, &loc, "Kind")?);
    let flags = BlobFlags(as_u32(&flags, &loc, "Flags")?);
    let target = match wb.target {
        None => None,
        Some(v) => match as_u32(&v, &loc, "Target")? {
            0 => None,
            n => Some(BlobKind::from_u32(n)),
        },
    };
    let appstream_id = match wb.appstream_id {
        None => None,
        Some(v) => Some(as_string(v, &loc, "AppstreamId", limits)?),
    };
    let timestamp = match wb.timestamp {
        None => None,
        // 0 means unset in libjcat (never shown, never written).
        Some(v) => Some(as_u64(&v, &loc, "Timestamp")?).filter(|t| *t != 0),
    };
    let text = as_string(data, &loc, "Data", limits)?;
    let data = if flags.is_utf8() {
        if text.contains('\0') {
            return Err(Error::NulInData { location: loc });
        }
        text.into_bytes()
    } else {
        b64::decode(&text).map_err(|offset| Error::Base64 {
            location: loc.clone(),
            offset,
        })?
    };
    Ok(Blob {
        kind,
        target,
        flags,
        appstream_id,
        timestamp,
        data,
    })
}
