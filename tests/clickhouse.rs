//! The ClickHouse engine against real ClickHouse: every saved query and a set of
//! targeted queries run on the local engine and on ClickHouse over the same records,
//! and the CSV answers must be identical. Two servers:
//!
//! - the current ClickHouse, in-process through the `chdb` Python package behind a
//!   small HTTP shim (tests/clickhouse/chdb_server.py); the Python with chdb is
//!   `$FLOWQ_CHDB_PYTHON`, else `target/chdb-venv/bin/python` (.ci/run makes it);
//! - Debian's clickhouse-server 18.16, started on loopback by
//!   tests/clickhouse/start-server.sh (.ci/run installs the package).
//!
//! Under `CI=true` a missing server fails the test; elsewhere the test says it skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flowq::clickhouse::Endpoint;

/// A running ClickHouse (or chDB) answering on `url`.
struct Backend {
    url: String,
    /// The native protocol's port (clickhouse-client), when the server has one.
    native_port: Option<u16>,
    child: Option<Child>,
    pid_file: Option<PathBuf>,
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Some(c) = &mut self.child {
            let _ = c.kill();
            let _ = c.wait();
        }
        if let Some(p) = &self.pid_file {
            if let Ok(pid) = std::fs::read_to_string(p) {
                let _ = Command::new("kill").arg(pid.trim()).status();
            }
        }
    }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `None` (and a note) when the backend is not installed here; a failure under CI.
fn missing(what: &str) -> Option<Backend> {
    assert!(!in_ci(), "{what} is missing, and CI=true requires it (.ci/run installs it)");
    eprintln!("skipped: {what} is not installed (.ci/run installs it)");
    None
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chdb() -> Option<Backend> {
    let python = std::env::var_os("FLOWQ_CHDB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest().join("target/chdb-venv/bin/python"));
    let has_chdb = Command::new(&python)
        .args(["-c", "import chdb"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_chdb {
        return missing(&format!("Python with chdb ({})", python.display()));
    }
    let dir = common::scratch("chdb");
    let port_file = dir.join("port");
    let child = Command::new(&python)
        .arg(manifest().join("tests/clickhouse/chdb_server.py"))
        .arg(dir.join("data"))
        .arg(&port_file)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !port_file.exists() {
        assert!(started.elapsed() < Duration::from_secs(120), "the chdb server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let port = std::fs::read_to_string(&port_file).unwrap();
    Some(Backend {
        url: format!("http://127.0.0.1:{}", port.trim()),
        native_port: None,
        child: Some(child),
        pid_file: None,
    })
}

fn clickhouse_18() -> Option<Backend> {
    if !Path::new("/usr/sbin/clickhouse-server").exists() {
        return missing("clickhouse-server (Debian's package)");
    }
    // Tests start servers side by side: each gets a directory of its own, and two free
    // ports (HTTP, native) asked of the system together; a port can still be taken
    // before the server binds it, so retry.
    static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    for _ in 0..4 {
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = common::scratch(&format!("clickhouse-server-{n}"));
        let ports: Vec<u16> = {
            let held: Vec<std::net::TcpListener> =
                (0..2).map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap()).collect();
            held.iter().map(|l| l.local_addr().unwrap().port()).collect()
        };
        let out = Command::new("bash")
            .arg(manifest().join("tests/clickhouse/start-server.sh"))
            .arg(&dir)
            .args(ports.iter().map(u16::to_string))
            .stderr(Stdio::inherit())
            .output()
            .unwrap();
        if out.status.success() {
            let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
            let native_port = Some(ports[1]);
            return Some(Backend { url, native_port, child: None, pid_file: Some(dir.join("server.pid")) });
        }
    }
    panic!("clickhouse-server did not start in four attempts");
}

/// The records both engines answer over: the fixed generated data set, the nine
/// example records (nulls, IPv6, a lower-case reject) and the real sample files of
/// every cloud.
fn inputs() -> Vec<String> {
    let dir = common::scratch("ch-inputs");
    let example = common::write(&dir, "example.log", flowq::reference::EXAMPLE_RECORDS);
    let mut v = vec![common::fixed_file().to_str().unwrap().to_string(), example.to_str().unwrap().to_string()];
    for s in [
        "oci-vcn-text.log",
        "oci-logging.jsonl",
        "aws-v2-default.log",
        "aws-v5-custom-header.log",
        "gcp-vpc-flows.jsonl",
        "azure-nsg-v2.json",
        "azure-vnet-v4.json",
        "aws-vpc-flows.parquet",
    ] {
        v.push(manifest().join("tests/samples").join(s).to_str().unwrap().to_string());
    }
    v
}

/// Create the table (every statement of `flowq clickhouse ddl`) and load `inputs`.
fn create_and_load(b: &Backend, inputs: &[String], extra: &[&str]) {
    let (code, ddl, err) = common::run(&[&["clickhouse", "ddl"], extra].concat());
    assert_eq!(code, 0, "{err}");
    let e = Endpoint::new(&b.url).unwrap();
    for statement in ddl.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        e.execute(statement).unwrap_or_else(|d| panic!("{statement}: {}", d.message));
    }
    let mut args: Vec<&str> = vec!["clickhouse", "load", "--url", &b.url];
    for i in inputs {
        args.extend(["-i", i.as_str()]);
    }
    args.extend(extra);
    let (code, _, err) = common::run(&args);
    assert_eq!(code, 0, "load: {err}");
    assert!(err.contains("inserted"), "{err}");
}

/// Queries beyond queries/: each command and function that is pushed down, the
/// orders (records, sort ties, tail), nulls, and names and values made to break SQL.
const TARGETED: &[&str] = &[
    "* | head 5",
    "* | tail 3",
    "* | sort 'Source Port' | head 7",
    "* | sort -'Protocol Name', 'Destination Port' | tail 4",
    "* | stats count by Action, 'Protocol Name'",
    "* | stats count, sum('Content Size Out') by 'Log Source', Entity, 'Entity Type'",
    "* | stats sum(Packets), distinctcount('Source VM') by 'Flow State', Rule, Reporter, 'Flow Direction'",
    "* | stats count, count('Source Port'), sum(Packets), avg('Content Size Out'), min(Time), max('Source IP'), \
     distinctcount('Destination Port') by Status",
    "* | where 'Source IP' != 10.0.0.5 and not ('Destination Port' in (22, 443)) | stats count",
    "* | where 'Source Port' between 1000 and 2000 | stats count by 'Protocol Name'",
    "* | where 'Source Port' not between 1000 and 60000 | stats count by 'Source Port' | sort -Count | head 5",
    "* | where cidrmatch('Source IP', '10.0.0.0/24') or 'Source IP' = '2001:db8::1' | stats count by 'Source IP'",
    "* | where Action like 'rej%' | stats count by Action",
    "* | where isnull('Source Port') | stats count by Status",
    "* | where Time >= '2025-06-10' and Time < '2025-06-11' | stats count, sum('Content Size Out')",
    "* | eval r = 'Content Size Out' / Packets, m = 'Source Port' % 7, c = concat(Action, '-', 'Destination Port'), \
     l = lower(Action), n = length('Protocol Name') | stats sum(m), max(r), avg(r), count by c, l, n | sort -Count | head 10",
    "* | eval big = if('Content Size Out' > 1000000, 'big', 'Content Size Out' > 1000, 'medium', 'small') \
     | stats count by big",
    "* | eval p = round('Content Size Out' / 1000, 1), f = floor(Packets / 3), s = sqrt(Packets), \
     ip = isprivate('Destination IP'), k = coalesce('Source Port', -1), a = abs(-Packets) \
     | stats count, sum(p), sum(f), max(s), min(a) by ip, k | sort -Count | head 12",
    "* | link 'Source IP', 'Destination Port' | where Count > 3 | sort -Count | head 10",
    "* | link span=1hour Time | stats sum(Packets) as P, avg('Content Size Out') | tail 5",
    "* | link includenulls=true 'Source Port' | stats sum(Packets) | sort -Count | head 5",
    "* | link 'Source IP' | addfields [ Action = reject | stats count as Rejected ], \
     [ * | stats max('Content Size Out') as Biggest ] | where Rejected > 0 | sort -Rejected | head 5",
    "* | fields 'Source IP', Time, 'Content Size Out' | head 3",
    "* | rename 'Source IP' as Src | fields Src, Action | sort Src | head 6",
    "* | eval 'we\"ird\\name;--' = 'it''s a \\ test; -- /* x */' | stats count by 'we\"ird\\name;--'",
    "* | where Action = \"'; DROP TABLE flows; --\" | stats count",
    "* | stats count by 'Log Source'",
    "* | top 3 'Destination Port' by 'Protocol Name'",
    "* | bottom limit=2 Action",
    "* | stats sum('Content Size Out') as B by 'Source IP' | top limit=4 B",
    "* | dedup 'Source IP' | head 6",
    "* | rare showcount=true showpercent=true limit=3 'Destination Port' by Action",
    "* | dedup count=2 includenulls=true 'Destination Port' | sort 'Destination Port', -Time | head 8",
    "* | sort Time | dedup consecutive=true Action | head 6",
    "* | eventstats count as N, sum(Packets) as P by Action | stats max(N), sum(P), count by Action",
    "* | stats count by 'Destination Port' | eventstats sum(Count) as All | sort -Count | head 5",
    "* | regex Action = '.*CC.*' | stats count by Action",
    "* | regex 'Protocol Name' != 'T.*' | stats count by 'Protocol Name'",
    "* | where matches('Protocol Name', 'D.$') | stats count",
    "* | eval P = Packets | bucket Packets few = 0 - 9, some = 10 - 99.5, others = many | stats count, sum(P) by Packets",
    "* | bucket 'Source Port' system = 0 - 1023 | stats count by 'Source Port'",
    "* | bucket 'Content Size Out' | stats count by 'Content Size Out'",
    "* | bucket maxbuckets=7 Packets | stats count by Packets",
    "* | eval r = 'Content Size Out' / 7 | bucket span=0.5 r | stats count by r | head 20",
    "* | eval e = if(Packets > 1000000000, Packets, null) | bucket e | stats count by e",
    "* | timestats span=6hour count, sum(Packets) as P, avg('Content Size Out') as A, max('Source Port') by Action",
    "Action = reject | timestats span=1day distinctcount('Source IP') as S, count('Source Port') as C",
    "* | link 'Source IP' | timestats span=1week count",
    "* | timestats span=1day topcount=3 sum('Content Size Out') as B, count by 'Destination Port'",
    "* | timestats span=12hour bottomcount=2 count by Action, 'Protocol Name'",
    "* | timestats count, max(Packets) by Action",
    "* | link span=1mon Time | stats count",
    "* | timestats span=1mon count, sum(Packets) by Action",
    "* | link span=2mon Time, Action | stats sum(Packets) | sort -Count",
    "'Source IP' = 10.0.0.5 and 'Destination Port' = 51877 | timestats sum(Packets) as P",
    "* | lookup table=ports select Service, Description using 'Destination Port' = Port | stats count by Service \
     | sort -Count | head 8",
    "* | link 'Source Port' | lookup table=ports maxmatches=3 select Service as S using 'Source Port' = Port \
     | lookup table=protocols select Name as 'Source Port' using Count = Number | sort -Count | head 8",
    "* | lookup table=ports default=none select Service using 'Destination Port' = Port | stats count by Service \
     | sort -Count | head 5",
    "* | eval a = contains(Action, 'EJ'), b = reverse(Action), c = replace(Action, 'ACC', 'acc', 'T', '_'), \
     d = capitalize(Action), e = substr('Protocol Name', 1, 3), f = substr(Action, 2), g = indexof(Action, 'E') \
     | stats count by a, b, c, d, e, f, g",
    "* | eval h = md5(Action), i = sha1(Status), j = sha256('Protocol Name'), k = encode64(Action), \
     l = tostring('Destination Port'), m = trim(concat('  ', Action, '\t')), n = ltrim(Action, 'AR'), o = rtrim(Action, 'TE') \
     | stats count by h, i, j, k, l, m, n, o | sort -Count | head 10",
    "* | eval p = power(Packets, 0.5), q = exp(Packets / 1000), r = log(Packets) | stats max(p), min(q), max(r), count by Action",
    "* | eval t = floortime(Time, '1hour'), u = dateadd(Time, 'minute', -90), v = datediff(Time, 'Flow End Time'), \
     w = datediff('Flow End Time', Time, 'second'), x = datediff(Time, 'Flow End Time', 'second') \
     | stats count, min(t), max(u), min(v), max(w), min(x) by Action",
    "* | eval x = round('Content Size Out' / 7, 2), y = round(Packets / 2) | stats max(x), min(y), count by y | head 5",
];

/// Lookups over the tables of [`lookup_tables`].
const LOOKUPS: &[&str] = &[
    "* | lookup table=nets select Name, Weight using 'Source IP' = Net | stats count by Name, Weight",
    "* | lookup table=nets default=none select Name using 'Destination IP' = Net | stats count by Name",
    "* | lookup table=nets default=0 select Weight as Packets using 'Destination IP' = Net | stats count by Packets",
    "* | lookup table=ranges select Band, Rank using 'Destination Port' = Ports | stats count by Band, Rank",
    "* | lookup table=ranges default=other select Band as 'Protocol Name' using 'Source Port' = Ports \
     | stats count by 'Protocol Name'",
];

/// `--lookup` arguments for a table of CIDR blocks and one of port ranges.
fn lookup_tables() -> (String, String) {
    let dir = common::scratch("ch-lookups");
    let nets = common::write(
        &dir,
        "nets.csv",
        "Net,Name,Weight\n0.0.0.0/0,anywhere,1\n10.0.0.0/8,corp,2\n10.0.0.0/24,app,3\n10.0.0.5,host5,4\n\
         10.0.0.5,repeated,5\n2001:db8::/32,v6 net,6\n::/0,all of v6,7\n,empty,8\n",
    );
    let ranges = common::write(
        &dir,
        "ranges.csv",
        "Ports,Band,Rank\n0-1023,system,1\n1024-49151,registered,2\n49152-65535,dynamic,3\n443,https,4\n\
         8000-8100,web,5\n8050-8200,overlapping,6\n",
    );
    (format!("nets={}", nets.display()), format!("ranges={}", ranges.display()))
}

fn differential(b: &Backend) {
    let inputs = inputs();
    create_and_load(b, &inputs, &[]);
    let mut cases: Vec<(String, Vec<String>)> = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(manifest().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "q"))
        .collect();
    files.sort();
    assert!(files.len() >= 19);
    for f in files {
        cases.push((f.display().to_string(), vec![f.to_str().unwrap().to_string()]));
    }
    for q in TARGETED {
        cases.push((q.to_string(), vec!["-c".into(), q.to_string()]));
    }
    // CIDR blocks (nested, repeated, IPv6, /0) and number ranges (nested, overlapping),
    // both matched by ClickHouse itself; nulls among the keys.
    let (nets, ranges) = lookup_tables();
    for q in LOOKUPS {
        let mut args: Vec<String> = ["--lookup", &nets, "--lookup", &ranges].map(String::from).to_vec();
        args.extend(["-c".to_string(), q.to_string()]);
        cases.push((q.to_string(), args));
    }
    cases.push((
        "a time window".into(),
        ["--from", "2025-06-03", "--to", "2025-06-05T12:00", "-c", "* | stats count by Action"]
            .map(String::from)
            .to_vec(),
    ));
    let mut local_args: Vec<String> = vec!["run".into(), "-f".into(), "csv".into()];
    for i in &inputs {
        local_args.extend(["-i".to_string(), i.clone()]);
    }
    let remote_args: Vec<String> =
        ["run", "-f", "csv", "--engine", "clickhouse", "--url", &b.url].map(String::from).to_vec();
    let mut failures = Vec::new();
    for (name, args) in &cases {
        let run = |base: &[String]| {
            let all: Vec<&str> = base.iter().chain(args).map(String::as_str).collect();
            common::run(&all)
        };
        let (lc, lout, lerr) = run(&local_args);
        let (rc, rout, rerr) = run(&remote_args);
        assert_eq!(lc, 0, "{name} fails locally: {lerr}");
        assert!(lout.lines().count() > 1 || name.contains("DROP"), "{name}: no rows to compare");
        if rc != 0 {
            failures.push(format!("{name}: exit {rc}: {rerr}"));
        } else if lout != rout {
            let diff = lout
                .lines()
                .zip(rout.lines())
                .find(|(a, b)| a != b)
                .map_or("(different lengths)".to_string(), |(a, b)| format!("local {a:?}\n  clickhouse {b:?}"));
            failures.push(format!("{name}: answers differ\n  {diff}"));
        }
    }
    // Nothing the queries carried changed the table.
    let (code, out, err) = common::run(
        &[&remote_args[..], &["-c".to_string(), "* | stats count".to_string()]]
            .concat()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().nth(1).is_some_and(|n| n.parse::<u64>().unwrap() > 1000), "{out}");
    assert!(failures.is_empty(), "{} of {} queries differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn current_clickhouse_answers_as_the_local_engine() {
    if let Some(b) = chdb() {
        differential(&b);
    }
}

#[test]
fn clickhouse_18_answers_as_the_local_engine() {
    if let Some(b) = clickhouse_18() {
        differential(&b);
    }
}

/// The HTTP path's own duties: a database, a second load appending, honest errors, and
/// credentials that never show.
#[test]
fn http_engine_errors_and_databases() {
    let Some(b) = clickhouse_18() else { return };
    let example = common::write(&common::scratch("ch-db"), "example.log", flowq::reference::EXAMPLE_RECORDS);
    let example = example.to_str().unwrap().to_string();
    let db = ["--database", "net", "--table", "vcn"];
    create_and_load(&b, std::slice::from_ref(&example), &db);
    // A second load appends after the first, in order.
    let (code, _, err) = common::run(&[&["clickhouse", "load", "--url", &b.url, "-i", &example][..], &db].concat());
    assert_eq!(code, 0, "{err}");
    let run = |extra: &[&str], q: &str| {
        common::run(&[&["run", "-f", "csv", "--engine", "clickhouse", "--url", &b.url][..], extra, &["-c", q]].concat())
    };
    let (code, out, err) = run(&db, "* | stats count");
    assert_eq!((code, out.as_str()), (0, "Count\n18\n"), "{err}");
    let local = common::run(&["run", "-f", "csv", "-i", &example, "-i", &example, "-c", "* | head 12"]);
    assert_eq!(run(&db, "* | head 12").1, local.1);

    // The REPL over ClickHouse: the same answers, and a summary of the table.
    let mut child = common::flowq()
        .args([&["repl", "--color", "never", "--engine", "clickhouse", "--url", &b.url][..], &db].concat())
        .env("NO_COLOR", "1")
        .env("FLOWQ_HISTORY", common::scratch("ch-repl").join("history"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b":format csv\n* | stats count by Action\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stderr.contains("Connected to ClickHouse at") && stderr.contains("18 records"), "{stderr}");
    let local = common::run(&["run", "-f", "csv", "-i", &example, "-i", &example, "-c", "* | stats count by Action"]);
    assert_eq!(stdout, local.1, "{stderr}");

    // A table that is not there: ClickHouse's message, exit 1.
    let (code, _, err) = run(&["--table", "nope"], "* | stats count");
    assert_eq!(code, 1);
    assert!(err.contains("ClickHouse at") && err.contains("nope"), "{err}");
    // A query that needs the records' text cannot run there.
    let (code, _, err) = run(&db, "ssh");
    assert_eq!(code, 2);
    assert!(err.contains("cannot run on ClickHouse"), "{err}");
    // Nothing listening.
    let (code, _, err) = common::run(&["run", "--engine", "clickhouse", "--url", "http://127.0.0.1:1", "-c", "*"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot connect to ClickHouse at http://127.0.0.1:1"), "{err}");
    // Credentials come from the environment and are never printed.
    let out = common::flowq()
        .args(["run", "--engine", "clickhouse", "--url", &b.url, "-c", "* | stats count"])
        .env("CLICKHOUSE_USER", "mallory")
        .env("CLICKHOUSE_PASSWORD", "hunter2-secret")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("mallory") || err.contains("Authentication") || err.contains("516") || err.contains("192"),
        "{err}"
    );
    assert!(!err.contains("hunter2-secret"), "{err}");
    // Without -i, load takes the demo data.
    let demo = ["--database", "net", "--table", "demo"];
    create_and_load(&b, &[], &demo);
    let (code, out, err) = run(&demo, "* | stats count");
    assert_eq!((code, out.as_str()), (0, "Count\n700000\n"), "{err}");
    // Options that do not go together.
    let (code, _, err) = common::run(&["run", "--engine", "clickhouse", "-c", "*"]);
    assert_eq!(code, 2);
    assert!(err.contains("--url"), "{err}");
    let (code, _, err) = common::run(&["run", "--engine", "clickhouse", "--url", &b.url, "-i", &example, "-c", "*"]);
    assert_eq!(code, 2);
    assert!(err.contains("clickhouse load"), "{err}");
}

/// `flowq clickhouse ddl` runs as it is with `clickhouse-client --multiquery`.
#[test]
fn ddl_runs_in_clickhouse_client() {
    let Some(b) = clickhouse_18() else { return };
    if !Path::new("/usr/bin/clickhouse-client").exists() {
        missing("clickhouse-client (Debian's package)");
        return;
    }
    let (code, ddl, _) = common::run(&["clickhouse", "ddl", "--database", "ddl test", "--table", "vcn \"flows\""]);
    assert_eq!(code, 0);
    let mut client = Command::new("clickhouse-client")
        .args(["--host", "127.0.0.1", "--port", &b.native_port.unwrap().to_string(), "--multiquery"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(client.stdin.as_mut().unwrap(), ddl.as_bytes()).unwrap();
    let out = client.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let e = Endpoint::new(&b.url).unwrap();
    let tables = e.execute("SELECT name FROM system.tables WHERE database = 'ddl test' FORMAT TabSeparated").unwrap();
    assert_eq!(tables.trim(), "vcn \"flows\"", "{tables}");
    let cols = e.execute("SELECT count() FROM system.columns WHERE database = 'ddl test' FORMAT TabSeparated").unwrap();
    let stored = flowq::sql::model::stored_fields().count();
    assert_eq!(cols.trim(), (stored + 2).to_string(), "seq, the {stored} stored fields and the time alias");
}

/// `flowq sql` needs no server: it shows the statement and where the pipeline is cut.
#[test]
fn sql_shows_the_statement_and_the_cut() {
    let q = manifest().join("queries/network-traffic.q");
    let (code, out, err) = common::run(&["sql", q.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("-- ClickHouse runs: where, link, stats, eval, eval, eval, sort"), "{out}");
    assert!(out.contains("-- runs locally: nothing"), "{out}");
    assert!(out.contains("GROUP BY") && out.trim_end().ends_with(';'), "{out}");
    let (code, out, _) = common::run(&["sql", "--table", "t", "-c", "* | link Action | classify Count"]);
    assert_eq!(code, 0);
    assert!(out.contains("-- runs locally: classify (because classify is not pushed down)"), "{out}");
    assert!(out.contains("FROM \"t\""), "{out}");
    // Names and values that would end the statement stay quoted.
    let (_, out, _) = common::run(&["sql", "-c", "* | where Action = \"x'; DROP TABLE flows; --\" | stats count"]);
    assert!(out.contains(r"'x\'; DROP TABLE flows; --'"), "{out}");
    let (code, _, err) = common::run(&["sql", "-c", "* | stats count by Nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown field 'Nope'"), "{err}");
    // CIDR blocks and number ranges are uploaded whole and matched by ClickHouse; other
    // lookups read the distinct keys first.
    let (nets, ranges) = lookup_tables();
    let sql = |q: &str| common::run(&["sql", "--lookup", &nets, "--lookup", &ranges, "-c", q]);
    let (code, out, err) = sql(LOOKUPS[0]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "uploads, of table 'nets', its 6 CIDR blocks (prefix lengths /128 /120 /104 /96 /32 /0 in the 128-bit form"
        ),
        "{out}"
    );
    assert!(out.contains("ANY LEFT JOIN") && !out.contains("SELECT DISTINCT"), "{out}");
    let (_, out, _) = sql(LOOKUPS[3]);
    assert!(out.contains("the narrowest range over each of its") && out.contains("arrayCount("), "{out}");
    assert!(!out.contains("SELECT DISTINCT"), "{out}");
    let (_, out, _) = common::run(&["sql", "-c", "* | bucket Packets | stats count by Packets"]);
    assert!(
        out.contains(
            "-- runs locally: bucket, stats (because bucket without named ranges (its buckets come from the data"
        ),
        "{out}"
    );
    let (_, out, _) =
        sql("* | lookup table=nets maxmatches=2 select Name using 'Source IP' = Net | stats count by Name");
    assert!(out.contains("flowq reads the distinct keys") && out.contains("SELECT DISTINCT"), "{out}");
}

/// docs/SCALE_OUT.md shows the article's SQL as flowq writes it today, and lists the
/// functions that are pushed down.
#[test]
fn scale_out_guide_tells_the_truth() {
    let doc = std::fs::read_to_string(manifest().join("docs/SCALE_OUT.md")).unwrap();
    let out = common::flowq().current_dir(manifest()).args(["sql", "queries/network-traffic.q"]).output().unwrap();
    let sql = String::from_utf8(out.stdout).unwrap();
    let shown = doc
        .split("<!-- flowq sql queries/network-traffic.q -->\n```sql\n")
        .nth(1)
        .and_then(|rest| rest.split("```\n<!-- end -->").next())
        .expect("the guide has the article's SQL");
    assert_eq!(shown, sql, "regenerate the block with flowq sql queries/network-traffic.q");
    let listed: Vec<String> = flowq::sql::PUSHED_FUNCTIONS.iter().map(|f| format!("`{f}`")).collect();
    assert!(doc.contains(&listed.join(", ")), "the guide lists the pushed-down functions");
}
