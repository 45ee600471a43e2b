#![no_main]
const CA: &[u8] = include_bytes!("../../testdata/real/fwupd-fwupd/data/pki/LVFS-CA.pem");
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jcat_core::fuzzing::signature(jcat_core::BlobKind::Pkcs7, data, CA)
});
