//! Loading with a progress bar on standard error, when it is a terminal and the
//! inputs are big enough to wait for; then a one-line summary.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use flowq::diag::Diagnostic;
use flowq::ingest::input::{expand, Input};
use flowq::ingest::LoadOptions;
use flowq::session::Session;

/// Inputs smaller than this load without a bar (it would only flicker).
const BAR_FROM_BYTES: u64 = 64 << 20;

pub fn load(inputs: &[PathBuf], mut opts: LoadOptions) -> Result<Session, Diagnostic> {
    let total: u64 = expand(inputs)?
        .inputs
        .iter()
        .map(|i| match i {
            Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Input::Stdin => 0,
        })
        .sum();
    if !std::io::stderr().is_terminal() || total < BAR_FROM_BYTES {
        return Session::load(inputs, opts);
    }
    let read = Arc::new(AtomicU64::new(0));
    opts.progress = Some(read.clone());
    let done = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("loading {bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let drawer = {
        let (bar, read, done) = (bar.clone(), read.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                bar.set_position(read.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let result = Session::load(inputs, opts);
    done.store(true, Ordering::Relaxed);
    let _ = drawer.join();
    bar.finish_and_clear();
    if let Ok(s) = &result {
        eprintln!(
            "loaded {} records ({:.1} MB) in {:.1} s",
            flowq::output::terminal::group_digits(s.report.records() as usize),
            total as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
    }
    result
}

/// A bar counting rows on standard error, when it is a terminal.
pub fn rows_bar(total: u64, what: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!("{what} {{bar:40}} {{human_pos}}/{{human_len}} rows {{eta}}"))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}
