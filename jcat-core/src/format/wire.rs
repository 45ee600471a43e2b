//! Wire structs mirroring the JSON. Scalar members are kept as raw JSON values
//! so that validation can give libjcat's messages (`failed to find Kind`) and
//! name the item and blob; big strings are moved, not copied, into the model.

use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
pub(crate) struct WireItem {
    #[serde(rename = "Id")]
    pub id: Option<Value>,
    #[serde(rename = "AliasIds")]
    pub alias_ids: Option<Vec<Value>>,
    #[serde(rename = "Blobs")]
    pub blobs: Option<Vec<WireBlob>>,
}

#[derive(Deserialize)]
pub(crate) struct WireBlob {
    #[serde(rename = "Kind")]
    pub kind: Option<Value>,
    #[serde(rename = "Target")]
    pub target: Option<Value>,
    #[serde(rename = "Flags")]
    pub flags: Option<Value>,
    #[serde(rename = "AppstreamId")]
    pub appstream_id: Option<Value>,
    #[serde(rename = "Timestamp")]
    pub timestamp: Option<Value>,
    #[serde(rename = "Data")]
    pub data: Option<Value>,
}
