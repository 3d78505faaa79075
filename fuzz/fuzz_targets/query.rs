//! Any text as a query: parse, plan, run over the example records, compile to SQL.
//! An error is an answer; a panic, a hang or unbounded memory is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn session() -> &'static flowq::session::Session {
    static S: OnceLock<flowq::session::Session> = OnceLock::new();
    S.get_or_init(|| {
        flowq::session::Session::from_text("fuzz.log", flowq::reference::EXAMPLE_RECORDS.as_bytes())
            .unwrap_or_else(|e| panic!("the example records load: {}", e.message))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // As the CLI reads a query: `init` variables and parameters first.
    let filled = flowq::params::substitute(text, &[]).map(|(t, _)| t);
    let text = filled.as_deref().unwrap_or(text);
    if let Ok(plan) = flowq::session::check(text) {
        let _ = flowq::sql::compile(&plan, &flowq::sql::Target::default(), flowq::window::TimeWindow::default());
        let _ = session().run(text);
    }
});
