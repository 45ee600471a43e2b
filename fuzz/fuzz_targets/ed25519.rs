#![no_main]
// Our own test key (testdata/example/make.sh), which made the example seed.
const KEY: &[u8] = include_bytes!("../../testdata/example/pki/example.ed25519");
thread_local! {
    // Built once: loading the trust material is not what we fuzz here.
    static TRUST: jcat_core::TrustStore = jcat_core::fuzzing::trust_store(KEY);
}
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    TRUST.with(|t| jcat_core::fuzzing::signature_with(jcat_core::BlobKind::Ed25519, data, t))
});
