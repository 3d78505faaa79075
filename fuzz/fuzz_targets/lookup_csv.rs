//! Any bytes as a lookup CSV: a table or an error naming the line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = flowq::lookup::LookupTable::from_csv("fuzz", "fuzz.csv", data);
});
