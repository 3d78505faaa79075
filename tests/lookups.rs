//! Lookup tables (LANGUAGE.md section 9): exact, CIDR and range keys, several keys,
//! maxmatches, default, built-in tables and overrides, registration, and every error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::*;
use common::{run, scratch, write};
use flowq::session::Session;

/// The fixture records with tables `(name, csv)` registered.
fn with_tables(tables: &[(&str, &str)]) -> Session {
    let dir = scratch(&format!("lookups-{}", tables.iter().map(|t| t.0).collect::<Vec<_>>().join("-")));
    let mut s = session();
    for (name, text) in tables {
        let p = write(&dir, &format!("{name}.csv"), text);
        s.lookups.add_file(name, &p).unwrap();
    }
    s
}

fn rows_in(s: &Session, q: &str) -> Vec<Vec<String>> {
    let out = s.run(q).unwrap_or_else(|f| panic!("{q}: {}", f.error.message));
    let t = out.table;
    let mut v = vec![t.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>()];
    for r in 0..t.len() {
        v.push((0..t.fields.len()).map(|c| text(&t, c, r)).collect());
    }
    v
}

const SERVERS: &str = "\u{feff}IP,Name,Role\r\n\
10.0.0.5,Application Server 1,app\r\n\
\r\n\
10.0.0.6,\"Web, front\",web\r\n\
10.0.0.0/16,VCN,\r\n\
10.0.3.0/24,App subnet,app\r\n\
2001:db8::/32,IPv6 lab,lab\r\n";

#[test]
fn cidr_keys_take_the_most_specific_block() {
    let s = with_tables(&[("servers", SERVERS)]);
    let r = rows_in(
        &s,
        "* | stats count by 'Source IP' | lookup table=servers select Name as Server, Role using 'Source IP' = IP",
    );
    let of = |ip: &str| r.iter().find(|row| row[0] == ip).cloned().unwrap();
    assert_eq!(r[0], ["Source IP", "Count", "Server", "Role"]);
    assert_eq!(of("10.0.0.5")[2..], ["Application Server 1", "app"]);
    assert_eq!(of("10.0.3.20")[2..], ["App subnet", "app"]);
    assert_eq!(of("10.0.1.10")[2..], ["VCN", "null"]);
    assert_eq!(of("2001:db8::1")[2..], ["IPv6 lab", "lab"]);
    assert_eq!(of("198.51.100.9")[2..], ["null", "null"]);
    assert_eq!(of("null")[2..], ["null", "null"]);
    // A quoted cell with a comma, a blank line and CRLF are read as written.
    let r = rows_in(&s, "'Destination IP' = 10.0.0.6 | head 1 | lookup table=servers select Name using 'Destination IP' = IP | fields Name");
    assert_eq!(r[1], ["Web, front"]);
}

#[test]
fn exact_keys_by_value_and_ignoring_case() {
    let services = "Port,Service\n 22 ,SSH\n443,HTTPS\n1521,Oracle Database\n";
    let verdicts = "Verdict,Meaning\naccept,allowed\nREJECT,blocked\n";
    let s = with_tables(&[("services", services), ("verdicts", verdicts)]);
    let r = rows_in(&s, "* | lookup table=services select Service using 'Source Port' = Port | stats count by Service");
    assert_eq!(r[1..], [vec!["HTTPS", "2"], vec!["Oracle Database", "1"], vec!["null", "6"]]);
    let r = rows_in(&s, "* | lookup table=verdicts select Meaning using Action = Verdict | stats count by Meaning");
    assert_eq!(r[1..], [vec!["allowed", "6"], vec!["blocked", "2"], vec!["null", "1"]]);
    // The selected column keeps its type: ports are integers.
    let r = rows_in(
        &s,
        "* | lookup table=services select Port as P using 'Source Port' = Port | where P > 400 | stats count",
    );
    assert_eq!(r[1], ["3"]);
}

#[test]
fn range_keys_and_overlap_warnings() {
    let ranges = "Ports,Band\n0-1023,well-known\n1024-49151,registered\n49152-65535,dynamic\n440-450,near https\n";
    let s = with_tables(&[("bands", ranges)]);
    let r = rows_in(&s, "* | lookup table=bands select Band using 'Destination Port' = Ports | stats count by Band");
    assert_eq!(
        r[1..],
        [
            vec!["dynamic", "2"],
            vec!["near https", "1"],
            vec!["registered", "3"],
            vec!["well-known", "2"],
            vec!["null", "1"]
        ]
    );
    assert!(s.run("* | lookup table=bands select Band using 'Destination Port' = Ports").unwrap().warnings.is_empty());

    let overlapping = "Ports,Band\n8000-8100,a\n8050-8200,b\n";
    let s = with_tables(&[("overlap", overlapping)]);
    let w = s.run("* | lookup table=overlap select Band using 'Destination Port' = Ports").unwrap().warnings;
    assert_eq!(w.len(), 1);
    assert!(w[0].message.ends_with(
        "key Ports: ranges '8000-8100' (line 2) and '8050-8200' (line 3) overlap; a value in both takes the narrower"
    ), "{}", w[0].message);
    let repeated = "Port,Name\n22,ssh\n22,secure shell\n";
    let s = with_tables(&[("repeated", repeated)]);
    let w = s.run("* | lookup table=repeated select Name using 'Destination Port' = Port").unwrap().warnings;
    assert!(w[0].message.ends_with("key Port: '22' is on lines 2 and 3; line 2 is used"), "{}", w[0].message);
}

#[test]
fn several_keys_must_all_match() {
    let rules =
        "Net,Port,Rule\n10.0.0.0/16,22,admin ssh\n10.0.0.0/16,0-1023,internal service\n0.0.0.0/0,22,outside ssh\n";
    let s = with_tables(&[("rules", rules)]);
    let r = rows_in(
        &s,
        "* | lookup table=rules select Rule using 'Destination IP' = Net, 'Destination Port' = Port | stats count by Rule",
    );
    assert_eq!(r[1..], [vec!["admin ssh", "1"], vec!["internal service", "2"], vec!["null", "6"]]);
}

#[test]
fn maxmatches_and_default() {
    let tags = "IP,Tag\n10.0.0.5,app\n10.0.0.5,prod\n10.0.0.0/8,internal\n";
    let s = with_tables(&[("tags", tags)]);
    let r = rows_in(
        &s,
        "'Source IP' = 10.0.0.5 | head 1 | lookup table=tags maxmatches=5 select Tag as Tags using 'Source IP' = IP | fields Tags",
    );
    assert_eq!(r[1], ["app, prod, internal"]);
    let r = rows_in(
        &s,
        "'Source IP' = 198.51.100.9 | head 1 | lookup table=tags default=external select Tag using 'Source IP' = IP | fields Tag",
    );
    assert_eq!(r[1], ["external"]);
    let r = rows_in(
        &s,
        "* | lookup table=tags maxmatches=2 default=none select Tag using 'Source IP' = IP | stats count by Tag",
    );
    assert_eq!(r[1..], [vec!["app, prod", "2"], vec!["internal", "2"], vec!["none", "5"]]);
}

#[test]
fn lookups_after_stats_and_link_and_searchlookup() {
    let s = with_tables(&[("servers", SERVERS)]);
    let r = rows_in(
        &s,
        "* | link 'Source IP', 'Destination IP' | lookup table=servers select Name as Server using 'Source IP' = IP | where Server = 'Application Server 1' | fields Count, Server",
    );
    assert_eq!(r[1..], [vec!["2", "Application Server 1"]]);
    let r = rows_in(&s, "* | searchlookup table=servers | where Role = app | fields IP, Name");
    assert_eq!(r[1..], [vec!["10.0.0.5", "Application Server 1"], vec!["10.0.3.0/24", "App subnet"]]);
}

#[test]
fn built_in_tables_and_overrides() {
    let s = session();
    let r = rows_in(
        &s,
        "* | lookup table=ports select Service using 'Destination Port' = Port, 'Protocol Name' = Protocol | stats count by Service",
    );
    assert!(r.contains(&vec!["ssh".to_string(), "1".to_string()]), "{r:?}");
    assert!(r.contains(&vec!["domain".to_string(), "1".to_string()]), "{r:?}");
    assert!(r.contains(&vec!["ms-wbt-server".to_string(), "1".to_string()]), "{r:?}");
    let r = rows_in(&s, "* | lookup table=protocols select Name as P using Protocol = Number | stats count by P");
    assert_eq!(r[1..], [vec!["TCP", "6"], vec!["UDP", "2"], vec!["null", "1"]]);
    // A user table of the same name replaces the built-in one.
    let s = with_tables(&[("ports", "Port,Protocol,Service\n1521,tcp,Oracle Database\n")]);
    let r = rows_in(&s, "* | lookup table=ports select Service using 'Source Port' = Port | stats count by Service");
    assert_eq!(r[1..], [vec!["Oracle Database", "1"], vec!["null", "8"]]);
}

#[test]
fn errors_say_what_and_where() {
    let s = with_tables(&[("servers", SERVERS)]);
    let err = |q: &str| s.run(q).err().unwrap_or_else(|| panic!("{q} should fail")).error;
    let e = err("* | lookup table=srvers select Name using 'Source IP' = IP");
    assert_eq!(e.message, "unknown lookup table 'srvers'");
    assert_eq!(e.help, ["did you mean 'servers'?"]);
    assert!(e.span.is_some());
    let e = err("* | lookup table=nothing select Name using 'Source IP' = IP");
    assert_eq!(e.notes, ["the tables: ports, protocols, servers"]);
    let e = err("* | lookup table=servers select Nmae using 'Source IP' = IP");
    assert_eq!(e.message, "lookup table 'servers' has no column 'Nmae'");
    assert_eq!(e.help, ["did you mean 'Name'?"]);
    let e = err("* | lookup table=servers select Name using 'Source IP'");
    assert_eq!(e.message, "lookup table 'servers' has no column 'Source IP'");
    let e = err("* | lookup table=servers select Name using Sauce = IP");
    assert_eq!(e.message, "unknown field 'Sauce'");
    let e = err("* | lookup table=servers maxmatches=0 select Name using 'Source IP' = IP");
    assert_eq!(e.message, "maxmatches needs a whole number of 1 or more");
    let e = err("* | lookup select Name using 'Source IP' = IP");
    assert_eq!(e.message, "lookup needs table=<name>");

    let bad = with_tables(&[("bad", "IP,Name\n10.0.0.5,a\n10.0.0.6\n")]);
    let e = bad.run("* | lookup table=bad select Name using 'Source IP' = IP").err().unwrap().error;
    assert!(e.message.starts_with("lookup table 'bad': "), "{}", e.message);
    assert!(e.message.ends_with("bad.csv:3: expected 2 fields (as the header), found 1"), "{}", e.message);
    assert_eq!(e.exit_code(), 1);
}

#[test]
fn tables_are_registered_from_the_command_line_and_lookups_folders() {
    let dir = scratch("lookup-cli");
    let log = write(&dir, "f.log", FIXTURE);
    let log = log.to_str().unwrap();
    std::fs::create_dir_all(dir.join("q/lookups")).unwrap();
    write(&dir.join("q/lookups"), "servers.csv", SERVERS);
    let q = write(
        &dir.join("q"),
        "s.q",
        "* | lookup table=servers select Name using 'Source IP' = IP | stats count by Name\n",
    );
    let (code, out, err) = run(&["run", "-i", log, "-f", "csv", q.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Application Server 1,2\n"), "{out}");
    // --lookup wins over the folder.
    let other = write(&dir, "other.csv", "IP,Name\n10.0.0.5,Other\n");
    let arg = format!("servers={}", other.display());
    let (code, out, err) = run(&["run", "-i", log, "-f", "csv", "--lookup", &arg, q.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Other,2\n"), "{out}");
    let (code, _, err) = run(&["run", "-i", log, "--lookup", "x=/no/such.csv", "-c", "*"]);
    assert_eq!(code, 2);
    assert!(err.contains("lookup table 'x': '/no/such.csv' is not a file"), "{err}");
    let (code, _, err) = run(&["check", q.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let bad = write(&dir, "bad.csv", "IP,Name\n1,2,3\n");
    let arg = format!("servers={}", bad.display());
    let (code, _, err) = run(&["run", "-i", log, "--lookup", &arg, q.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("bad.csv:2: expected 2 fields (as the header), found 3"), "{err}");
}

#[test]
fn a_lookups_folder_in_the_working_directory_is_read() {
    let dir = scratch("lookup-cwd");
    let log = write(&dir, "f.log", FIXTURE);
    std::fs::create_dir_all(dir.join("lookups")).unwrap();
    write(&dir.join("lookups"), "verdicts.csv", "Verdict,Meaning\naccept,allowed\nreject,blocked\n");
    let out = common::flowq()
        .current_dir(&dir)
        .args(["run", "-i", log.to_str().unwrap(), "-f", "csv", "-c"])
        .arg("* | lookup table=verdicts select Meaning using Action = Verdict | stats count by Meaning")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout, "Meaning,Count\nallowed,6\nblocked,2\n,1\n");
}

/// `geostats` places addresses through the table loaded as `geo` (its first column the
/// blocks), makes Coordinates from Latitude and Longitude, and groups by them;
/// `include = custom` groups by fields of the query's own.
#[test]
fn geostats_places_addresses_through_the_geo_table() {
    let geo = "Network,City,Country,Latitude,Longitude\n10.0.0.0/24,Zurich,CH,47.37,8.54\n\
               198.51.100.0/24,Paris,FR,48.85,2.35\n203.0.113.0/24,Tokyo,JP,35.68,139.69\n";
    let s = with_tables(&[("geo", geo)]);
    assert_eq!(
        rows_in(&s, "* | geostats count, sum('Content Size Out') as Bytes | sort Bytes"),
        [
            vec!["Client Host City", "Client Host Country", "Client Host Coordinates", "Count", "Bytes"],
            vec!["Tokyo", "JP", "35.68,139.69", "1", "300"],
            vec!["Paris", "FR", "48.85,2.35", "2", "360"],
            vec!["Zurich", "CH", "47.37,8.54", "2", "12000"],
            vec!["null", "null", "null", "4", "90200"],
        ]
    );
    let both = rows_in(&s, "Action = reject | geostats include = client,server count");
    assert_eq!(both[0][3..], ["Server Host City", "Server Host Country", "Server Host Coordinates", "Count"]);
    assert_eq!(both[1], ["Paris", "FR", "48.85,2.35", "Zurich", "CH", "47.37,8.54", "2"]);
    let custom = rows_in(
        &s,
        "* | lookup table = geo select City using 'Destination IP' = Network | geostats include = custom city = City count by Action | where City = Zurich",
    );
    assert_eq!(custom[0], ["City", "Action", "Count"]);
    assert_eq!(
        custom[1..],
        [vec!["Zurich", "ACCEPT", "2"], vec!["Zurich", "REJECT", "1"], vec!["Zurich", "reject", "1"]]
    );
    // The chart of a geostats result is a map: a bubble per placed row, labelled with
    // its city, and with client and server places a line between them.
    let map = |q: &str| flowq::output::chart::svg(&s.run(q).unwrap().table).unwrap();
    let one_end = map("* | geostats count");
    assert_eq!(one_end.matches("class=\"bubble\"").count(), 3, "{one_end}");
    assert!(one_end.contains(">Tokyo</text>") && one_end.contains("Count by Client Host Coordinates"));
    let both_ends = map("Action = reject | geostats include = client,server count");
    assert!(both_ends.contains("<line x1=") && both_ends.contains("Server Host City: Zurich"), "{both_ends}");
    // Without a geo table, and with a table that places nothing, the errors say so.
    let err = session().run("* | geostats count").unwrap_err().error;
    assert!(err.message.contains("lookup table geo"), "{}", err.message);
    let bare = with_tables(&[("geo", "Network,Owner\n10.0.0.0/8,us\n")]);
    let err = bare.run("* | geostats count").unwrap_err().error;
    assert!(err.message.contains("has none of City"), "{}", err.message);
}

/// Label rules (LANGUAGE.md, Label rules): the lookup table `labels`, a Label and a
/// Condition per rule; the first rule that holds gives a record its label.
const RULES: &str = "Label,Condition\n\
Blocked,Action = reject\n\
Admin,\"'Destination Port' in (22, 3389, 443)\"\n\
DNS,Protocol = 17\n";

#[test]
fn label_rules_give_each_record_the_first_label_that_holds() {
    let s = with_tables(&[("labels", RULES)]);
    // The two rejects go to 22 and 3389: Blocked takes them before Admin; Admin keeps the
    // one record to 443; the NODATA record and the rest have no label.
    assert_eq!(
        rows_in(&s, "* | stats count by Label | sort Label"),
        [["Label", "Count"], ["Admin", "1"], ["Blocked", "2"], ["DNS", "2"], ["null", "4"]]
    );
    // Scoped by, as Oracle's dashboards do, and through link.
    assert_eq!(rows_in(&s, "Label = DNS | stats count")[1][0], "2");
    assert_eq!(rows_in(&s, "Label != null | link Label").len(), 1 + 3);
    // Only a query that names Label pays for the rules: records shown as they are lack it.
    assert!(!rows_in(&s, "* | head 1")[0].contains(&"Label".to_string()));
}

#[test]
fn label_without_rules_and_bad_rules_say_what_and_where() {
    let e = error("Label = Admin");
    assert!(e.notes.iter().any(|n| n.contains("lookup table labels")), "{:?}", e.notes);
    let s = with_tables(&[("labels", "Label,When\nA,Action = reject\n")]);
    let e = s.run("Label = A").unwrap_err().error;
    assert!(e.message.contains("no column Condition"), "{}", e.message);
    let s = with_tables(&[("labels", "Label,Condition\nA,Action = reject\nB,Action = = 3\n")]);
    let e = s.run("* | stats count by Label").unwrap_err().error;
    assert!(e.message.starts_with("label rule on line 3 of "), "{}", e.message);
    assert!(e.span.is_none() && e.notes.iter().any(|n| n.contains("Action = = 3")), "{e:?}");
    let s = with_tables(&[("labels", "Label,Condition\nA,Action = reject | head 1\n")]);
    assert!(s.run("* | stats count by Label").unwrap_err().error.message.contains("without |"));
    let s = with_tables(&[("labels", "Label,Condition\nA,Acton = reject\n")]);
    let out = s.run("* | stats count by Label").unwrap();
    assert!(out.warnings.iter().any(|w| w.message.contains("line 2") && w.message.contains("'Acton'")));
}
