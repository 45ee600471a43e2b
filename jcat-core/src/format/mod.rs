//! The on-disk format: wire structs, reading, writing, text dumps.

mod b64;
mod convert;
mod guard;
pub mod import;
mod json_out;
mod read;
mod stream;
mod text;
mod text_stream;
mod tokenizer;
mod wire;
mod write;

pub use json_out::{to_json, ExportOptions};
pub use read::{from_bytes, from_json, load_path, load_reader};
pub use text::{to_text, write_text};
pub use text_stream::{write_text_path, TextDumpError};
pub use write::{save_path, save_writer, to_bytes};

#[cfg(test)]
mod tests;
