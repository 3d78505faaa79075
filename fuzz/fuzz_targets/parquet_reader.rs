//! Any bytes after Parquet's magic as a Parquet file (footer, schema, pages, values):
//! an error or records, and the records and the report agree; a panic inside the
//! decoder must come back as an error of the file.
#![no_main]

use flowq::ingest::{LoadOptions, Loader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // flowq catches a panic of the Parquet decoder and makes it an error of the file;
    // libFuzzer's hook would abort on it first. A panic flowq does not catch still ends
    // the run: the harness treats a panic that leaves this closure as a crash.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let mut bytes = b"PAR1".to_vec();
    bytes.extend_from_slice(data.strip_prefix(b"PAR1").unwrap_or(data));
    let mut l = Loader::new(LoadOptions { threads: 1, ..LoadOptions::default() });
    if l.add_bytes("fuzz.parquet", &bytes).is_ok() {
        let (t, r) = l.finish();
        assert_eq!(t.len() as u64, r.records());
    }
});
