#![no_main]
// Our own test CA (testdata/example/make.sh), which issued the example seed.
const CA: &[u8] = include_bytes!("../../testdata/example/pki/example-ca.pem");
thread_local! {
    // Built once: loading the trust material is not what we fuzz here.
    static TRUST: jcat_core::TrustStore = jcat_core::fuzzing::trust_store(CA);
}
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    TRUST.with(|t| jcat_core::fuzzing::signature_with(jcat_core::BlobKind::Pkcs7, data, t))
});
