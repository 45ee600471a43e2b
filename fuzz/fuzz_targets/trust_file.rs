#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| jcat_core::fuzzing::trust_file(data));
