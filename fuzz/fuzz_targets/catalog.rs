#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| jcat_core::fuzzing::catalog(data));
