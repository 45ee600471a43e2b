#![no_main]
const KEY: &[u8] = include_bytes!("../../testdata/real/hughsie-libjcat/data/tests/pki/test.ed25519");
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jcat_core::fuzzing::signature(jcat_core::BlobKind::Ed25519, data, KEY)
});
