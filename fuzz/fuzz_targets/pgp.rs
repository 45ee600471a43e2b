#![no_main]
const KEY: &[u8] =
    include_bytes!("../../testdata/real/hughsie-libjcat/data/tests/pki/GPG-KEY-Linux-Vendor-Firmware-Service");
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jcat_core::fuzzing::signature(jcat_core::BlobKind::Gpg, data, KEY)
});
