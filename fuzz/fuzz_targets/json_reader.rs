//! Any bytes read as JSON flow records (OCI Logging, AWS, arrays, envelopes): the
//! records and the report must agree.
#![no_main]

use flowq::ingest::{formats, LoadOptions, Loader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = LoadOptions { threads: 1, format: formats::find("oci-json"), ..LoadOptions::default() };
    let mut l = Loader::new(opts);
    if l.add_bytes("fuzz.json", data).is_ok() {
        let (t, r) = l.finish();
        assert_eq!(t.len() as u64, r.records());
    }
});
