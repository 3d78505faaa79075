//! Any bytes as a flow log file (format detection, OCI and AWS text, headers): the
//! records and the report must agree, whatever the bytes.
#![no_main]

use flowq::ingest::{LoadOptions, Loader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut l = Loader::new(LoadOptions { threads: 1, ..LoadOptions::default() });
    if l.add_bytes("fuzz.log", data).is_ok() {
        let (t, r) = l.finish();
        assert_eq!(t.len() as u64, r.records());
    }
});
