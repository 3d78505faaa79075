//! Loads in parallel equal single-threaded ones; mapped, read and in-memory inputs load alike.
use super::*;
use crate::store::Value;

fn sample(n: usize, bad_every: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if bad_every > 0 && i % bad_every == 7 {
            s.push_str("2 garbage line\n");
        } else {
            s.push_str(&format!(
                "2 10.0.0.{} 10.0.1.1 {} 443 6 3 {} {} {} ACCEPT OK\n",
                i % 250,
                1000 + i % 60000,
                i,
                1_600_000_000 + i,
                1_600_000_060 + i
            ));
        }
    }
    s
}

#[test]
fn parallel_parse_equals_single_threaded() {
    let text = sample(60_000, 1000);
    let load = |threads| {
        let mut l = Loader::new(LoadOptions { strict: false, threads, ..LoadOptions::default() });
        l.add_bytes("t.log", text.as_bytes()).unwrap();
        l.finish()
    };
    let (a, ra) = load(1);
    let (b, rb) = load(4);
    assert_eq!(a.len(), b.len());
    assert_eq!(ra.inputs[0].skipped, 60);
    assert_eq!(ra.inputs[0].examples, rb.inputs[0].examples);
    assert_eq!(ra.inputs[0].examples[0], Skip { line: 8, reason: "expected 12 fields, found 3".into() });
    for row in (0..a.len()).step_by(97) {
        for c in 0..a.fields.len() {
            assert_eq!(a.get(c, row), b.get(c, row));
        }
    }
}

#[test]
fn mapped_files_read_as_read_files_do() {
    let dir = std::env::temp_dir().join(format!("flowq-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = sample(40_000, 1000);
    assert!(text.len() as u64 > mapped::MAP_FROM_BYTES);
    let plain = dir.join("big.log");
    std::fs::write(&plain, &text).unwrap();
    let gz = dir.join("big.log.gz");
    // Stored, not compressed: the file is over the size worth mapping.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    std::io::Write::write_all(&mut enc, text.as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    assert!(std::fs::metadata(&gz).unwrap().len() > mapped::MAP_FROM_BYTES);
    let small = dir.join("small.log");
    std::fs::write(&small, sample(10, 0)).unwrap();

    let mapping = Loader::new(LoadOptions::default());
    let file = |p: &std::path::Path| input::Input::File(p.to_path_buf());
    assert!(mapping.map(&file(&plain)).unwrap().is_some());
    assert!(mapping.map(&file(&gz)).unwrap().is_none(), "gzip is read through the decompressor");
    assert!(mapping.map(&file(&small)).unwrap().is_none());
    let reading = Loader::new(LoadOptions { mmap: false, ..LoadOptions::default() });
    assert!(reading.map(&file(&plain)).unwrap().is_none());

    let load = |p: &std::path::Path, mmap| {
        load_paths(&[p], LoadOptions { mmap, threads: 2, ..LoadOptions::default() }).unwrap()
    };
    let ((a, ra), (b, rb)) = (load(&plain, true), load(&plain, false));
    assert_eq!(load(&gz, true).0.len(), a.len());
    assert_eq!(a.len(), 40_000 - 40);
    assert_eq!(a.len(), b.len());
    assert_eq!((ra.inputs[0].skipped, &ra.inputs[0].examples), (rb.inputs[0].skipped, &rb.inputs[0].examples));
    assert_eq!(ra.inputs[0].bytes, text.len() as u64);
    for row in (0..a.len()).step_by(13) {
        for c in 0..a.fields.len() {
            assert_eq!(a.get(c, row), b.get(c, row));
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn blocks_in_memory_join_up_whatever_their_size() {
    // Text with a long tail of distinct strings (new to the dictionary in every
    // block) and skipped lines, read in one block and in small ones (the first
    // smaller still, so the columns grow past its estimate).
    let mut text = sample(30_000, 700);
    for i in 0..3000 {
        text.push_str(&format!("2 10.1.0.1 10.0.1.1 1 2 6 1 1 1 1 A{i} S{}\n", i % 7));
    }
    let load = |slices| {
        let mut l = Loader::new(LoadOptions { threads: 3, ..LoadOptions::default() });
        l.slices = slices;
        l.add_bytes("t.log", text.as_bytes()).unwrap();
        l.finish()
    };
    let (a, ra) = load((blocks::FIRST_SLICE, blocks::SLICE));
    let (b, rb) = load((10_000, 150_000));
    assert_eq!(a.len(), 33_000 - 43);
    assert_eq!(a.len(), b.len());
    assert_eq!(ra.inputs[0].examples, rb.inputs[0].examples);
    for row in 0..a.len() {
        for c in [
            crate::schema::Col::Action as usize,
            crate::schema::Col::SourceIp as usize,
            crate::schema::Col::Status as usize,
        ] {
            assert_eq!(a.get(c, row), b.get(c, row), "row {row}");
        }
    }
}

#[test]
fn strict_stops_at_first_bad_line() {
    let mut l = Loader::new(LoadOptions { strict: true, threads: 2, ..LoadOptions::default() });
    let e = l.add_bytes("t.log", sample(20, 10).as_bytes()).unwrap_err();
    assert_eq!(e.message, "t.log:8: malformed line: expected 12 fields, found 3");
}

#[test]
fn crlf_blank_lines_and_no_final_newline() {
    let mut l = Loader::new(LoadOptions::default());
    l.add_bytes(
        "t.log",
        b"\r\n2 1.1.1.1 2.2.2.2 1 2 6 1 1 1 1 ACCEPT OK\r\n\n2 1.1.1.1 2.2.2.2 1 2 6 1 1 1 1 REJECT OK",
    )
    .unwrap();
    let (t, r) = l.finish();
    assert_eq!(t.len(), 2);
    assert_eq!(r.skipped(), 0);
    assert_eq!(t.get(crate::schema::Col::Status as usize, 0), Value::str("OK"));
}

#[test]
fn unknown_format_names_file_and_line() {
    let mut l = Loader::new(LoadOptions::default());
    let e = l.add_bytes("x.json", b"{\"a\": 1}\n").unwrap_err();
    assert_eq!(e.message, "cannot read 'x.json' as flow logs (JSON)");
    assert!(e.notes[0].contains("{\"a\": 1}"));
}

#[test]
fn azure_blobs_read_the_same_in_any_block_size() {
    // A blob of many records, one a line and pretty-printed: blocks end anywhere,
    // between a records array's `]` and the blob's `}` too.
    let record = |i: usize| {
        format!(
            "{{\"resourceId\":\"/NSG/{i}\",\"properties\":{{\"Version\":2,\"flows\":[{{\"rule\":\"r{}\",\"flows\":\
             [{{\"mac\":\"M\",\"flowTuples\":[\"{},10.0.0.{},10.1.0.1,{},443,T,O,A,E,2,{},1,{}\",\"1,10.0.0.1,10.1.0.1,1,2,U,I,D,B,,,,\"]}}]}}]}}}}",
            i % 5,
            1_600_000_000 + i,
            i % 250,
            1024 + i % 60_000,
            100 + i,
            50 + i
        )
    };
    let lines: Vec<String> = (0..2000).map(record).collect();
    let one_a_line = format!("{{\"records\":[{}]}}\n", lines.join(",\n"));
    let pretty = format!("{{\n  \"records\": [\n    {}\n  ]\n}}\n", lines.join(",\n    "));
    for text in [one_a_line, pretty] {
        let load = |slices| {
            let mut l = Loader::new(LoadOptions { threads: 2, ..LoadOptions::default() });
            l.slices = slices;
            l.add_bytes("nsg.json", text.as_bytes()).unwrap();
            l.finish()
        };
        let (a, ra) = load((blocks::FIRST_SLICE, blocks::SLICE));
        for slices in [(10_000, 30_000), (4096, 7000)] {
            let (b, rb) = load(slices);
            assert_eq!(ra.inputs[0].skipped, 0, "{:?}", ra.inputs[0].examples);
            assert_eq!(rb.inputs[0].skipped, 0, "{slices:?}: {:?}", rb.inputs[0].examples);
            // Each record: a tuple with traffic both ways (two rows) and a deny (one).
            assert_eq!((a.len(), b.len()), (6000, 6000));
            for row in 0..a.len() {
                use crate::schema::Col;
                for c in [Col::SourceIp, Col::ContentSizeOut, Col::ResourceId, Col::Rule, Col::Action] {
                    assert_eq!(a.get(c as usize, row), b.get(c as usize, row), "row {row}");
                }
            }
        }
    }
}

#[test]
fn large_json_streams_parsed_on_all_cores_agree_with_one() {
    // Past a MiB, a JSON stream that is not JSON lines (pretty-printed records, Azure
    // blobs) is cut between records and parsed on all cores: the same rows, and the
    // same skipped lines at the same line numbers, as on one.
    let mut text = String::new();
    for i in 0..12000 {
        text.push_str(&format!(
            "{{\n  \"data\": {{\n    \"sourceAddress\": \"10.0.{}.{}\",\n    \"bytesOut\": {},\n    \"action\": \"ACCEPT\"\n  }}\n}}\n",
            i / 250 % 250,
            i % 250,
            100 + i
        ));
        if i % 2000 == 7 {
            text.push_str("not json at all\n");
        }
    }
    text.push_str("{\"records\":[");
    let tuples: Vec<String> =
        (0..3000).map(|i| format!("\"{i},10.1.0.1,10.2.0.{},1,2,T,O,A,E,1,{i},1,5\"", i % 200)).collect();
    text.push_str(&format!(
        "{{\"properties\":{{\"Version\":2,\"flows\":[{{\"rule\":\"r\",\"flows\":[{{\"mac\":\"M\",\"flowTuples\":[{}]}}]}}]}}}}]}}\n",
        tuples.join(",")
    ));
    assert!(text.len() > 1 << 20);
    let load = |threads| {
        let mut l = Loader::new(LoadOptions { threads, ..LoadOptions::default() });
        l.add_bytes("big.json", text.as_bytes()).unwrap();
        l.finish()
    };
    let (a, ra) = load(1);
    let (b, rb) = load(2);
    assert_eq!(a.len(), 12000 + 6000);
    assert_eq!(a.len(), b.len());
    assert_eq!(ra.inputs[0].examples, rb.inputs[0].examples);
    assert_eq!(ra.inputs[0].skipped, 6);
    for row in 0..a.len() {
        for c in [crate::schema::Col::SourceIp, crate::schema::Col::ContentSizeOut, crate::schema::Col::LogSource] {
            assert_eq!(a.get(c as usize, row), b.get(c as usize, row), "row {row}");
        }
    }
}

#[test]
fn small_files_read_ahead_load_as_the_usual_way_does() {
    // An S3-like tree of small gzipped files, a plain one, one cut short in the middle
    // of its gzip stream and one that is no flow log at the end: read ahead on
    // workers, they load exactly as each read the usual way, in order.
    let dir = std::env::temp_dir().join(format!("flowq-small-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let gz = |text: &str| {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut enc, text.as_bytes()).unwrap();
        enc.finish().unwrap()
    };
    for k in 0..30 {
        let day = dir.join(format!("2025/06/{:02}", 1 + k / 10));
        std::fs::create_dir_all(&day).unwrap();
        let text = sample(200 + k * 37, 40 + k);
        match k {
            7 => std::fs::write(day.join(format!("{k:02}.log")), text).unwrap(),
            13 => {
                let whole = gz(&text);
                std::fs::write(day.join(format!("{k:02}.log.gz")), &whole[..whole.len() * 2 / 3]).unwrap();
            }
            _ => std::fs::write(day.join(format!("{k:02}.log.gz")), gz(&text)).unwrap(),
        }
    }
    let found = input::expand(std::slice::from_ref(&dir)).unwrap().inputs;
    assert_eq!(found.len(), 30);
    let usual = |inputs: &[input::Input]| {
        let mut l = Loader::new(LoadOptions { threads: 1, ..LoadOptions::default() });
        for i in inputs {
            l.add_input(i).unwrap();
        }
        l.finish()
    };
    let (want, want_report) = usual(&found);
    for threads in [1, 2, 3] {
        let (got, report) =
            load_paths(std::slice::from_ref(&dir), LoadOptions { threads, ..LoadOptions::default() }).unwrap();
        assert_eq!(got.len(), want.len());
        for row in 0..got.len() {
            for c in 0..got.fields.len() {
                assert_eq!(got.get(c, row), want.get(c, row), "{threads} threads, row {row}");
            }
        }
        let summary = |r: &LoadReport| -> Vec<_> {
            r.inputs
                .iter()
                .map(|i| (i.name.clone(), i.records, i.skipped, i.examples.clone(), i.compressed, i.cut_short.clone()))
                .collect()
        };
        assert_eq!(summary(&report), summary(&want_report), "{threads} threads");
    }
    assert!(want_report.inputs[13].cut_short.is_some() && want_report.inputs[13].records > 0);
    assert!(want_report.inputs[12].compressed && !want_report.inputs[7].compressed);
    // A file that is no flow log stops the load with its name, as it does read alone.
    std::fs::write(dir.join("2025/06/03/zz.log.gz"), gz("not a flow log\n")).unwrap();
    let err = load_paths(std::slice::from_ref(&dir), LoadOptions::default()).unwrap_err();
    assert!(err.message.contains("zz.log.gz"), "{}", err.message);
    std::fs::remove_dir_all(&dir).unwrap();
}
