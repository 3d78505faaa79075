//! `flowq gen`: realistic synthetic OCI VCN text flow logs, deterministic per seed.
//!
//! The network: a VCN `10.0.0.0/16` with application servers, database servers, a
//! bastion and a few hundred other hosts, talking to thousands of external clients on
//! real service ports. Each accepted connection logs a request record and a response
//! record per one-minute capture window it spans; about 5% of records are rejected
//! scans and about 1% are NODATA. Two large (~77 MB) HTTP transfers from application
//! server 1 are planted late on one day: the anomaly the article's analysis finds.

use std::io::{self, Write};

mod formats;

use formats::{header, write_as};

use crate::store::time;

/// Servers of the synthetic VCN, by role; queries/ maps these addresses to names.
pub const APP_SERVERS: [&str; 3] = ["10.0.0.5", "10.0.0.6", "10.0.0.7"];
pub const DB_SERVERS: [&str; 2] = ["10.0.1.10", "10.0.1.11"];
pub const MYSQL_SERVER: &str = "10.0.1.20";
pub const BASTION: &str = "10.0.2.2";
pub const FTP_SERVER: &str = "10.0.0.9";
pub const DNS_SERVER: &str = "10.0.0.2";
/// The client that receives the planted transfers.
pub const ANOMALY_CLIENT: &str = "203.0.113.77";

/// The format `gen` writes: the same records in any of the formats flowq reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GenFormat {
    /// OCI VCN text.
    #[default]
    Oci,
    /// OCI Logging JSON, one record per line.
    OciJson,
    /// AWS VPC text in the default (version 2) format.
    Aws,
    /// AWS VPC text in a version 5 custom format of 29 fields, behind a header line.
    AwsV5,
    /// GCP VPC Flow Logs: Cloud Logging entries, one a line (records without traffic,
    /// which GCP does not log, are left out).
    GcpJson,
    /// Azure VNet flow logs: a blob of one record a line, 100 tuples a record (records
    /// without traffic left out).
    AzureVnet,
}

/// The shape of the data: the same network and services, with its keys drawn so that
/// grouping and reading meet what real logs hold besides the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GenShape {
    /// Connections reuse their ephemeral port over their records, both directions.
    #[default]
    Default,
    /// A fresh ephemeral port (1024-65535) for every record, as on a busy NAT gateway
    /// or a scanner-heavy edge: link groups by day and 4-tuple are nearly the records.
    NearUnique,
    /// The hosts other than the named servers have IPv6 addresses: about half of all
    /// addresses.
    Ipv6,
}

#[derive(Clone, Debug)]
pub struct GenOptions {
    pub records: u64,
    pub seed: u64,
    /// First second of the period (UTC epoch seconds).
    pub start: i64,
    pub days: u32,
    pub format: GenFormat,
    pub shape: GenShape,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            records: 700_000,
            seed: 1,
            start: time::days_from_civil(2025, 6, 1) * 86_400,
            days: 30,
            format: GenFormat::Oci,
            shape: GenShape::Default,
        }
    }
}

/// A planted anomalous transfer: when, and how many bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Planted {
    pub start: i64,
    pub bytes: i64,
    pub client_port: u16,
}

/// The two large HTTP transfers, late on day 17 of the period (or the last day of a
/// shorter one).
pub fn planted(opts: &GenOptions) -> [Planted; 2] {
    let day = (opts.days.max(1) - 1).min(16) as i64;
    let base = opts.start + day * 86_400 + 22 * 3600;
    [
        Planted { start: base + 41 * 60 + 7, bytes: 77_012_345, client_port: 51_877 },
        Planted { start: base + 47 * 60 + 31, bytes: 76_934_112, client_port: 51_903 },
    ]
}

/// splitmix64: small, fast, and the same sequence everywhere for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Log-uniform between lo and hi: byte counts are heavily skewed.
    fn log_range(&mut self, lo: f64, hi: f64) -> i64 {
        (lo * (hi / lo).powf(self.unit())) as i64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn pick_str<'a, S: AsRef<str>>(&mut self, items: &'a [S]) -> &'a str {
        self.pick(items).as_ref()
    }
}

fn v4(a: u32) -> String {
    format!("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255)
}

struct Network {
    internal: Vec<String>,
    external: Vec<String>,
    scanners: Vec<String>,
}

/// A public IPv6 address of the documentation prefix, in canonical form (RFC 5952:
/// lowercase, no leading zeros, `::` for the one run of zero groups), so that every
/// engine prints it as flowq does.
fn v6(a: u32, b: u32) -> String {
    format!("2001:db8:{:x}:{:x}::{:x}", (a >> 16) | 0x100, (a & 0xffff) | 1, (b & 0xfff) | 1)
}

impl Network {
    fn new(rng: &mut Rng, shape: GenShape) -> Self {
        let ipv6 = shape == GenShape::Ipv6;
        let internal = (0..300)
            .map(|i| match ipv6 {
                true => format!("fd00::{:x}:{:x}", 3 + i / 200, 10 + i % 200),
                false => format!("10.0.{}.{}", 3 + i / 200, 10 + i % 200),
            })
            .collect();
        let public = |rng: &mut Rng| loop {
            let a = rng.next() as u32;
            let first = a >> 24;
            if (1..224).contains(&first) && ![10, 127, 172, 192, 169, 100, 0].contains(&first) {
                return if ipv6 { v6(a, rng.next() as u32) } else { v4(a) };
            }
        };
        let external = (0..4000).map(|_| public(rng)).collect();
        let scanners = (0..60).map(|_| public(rng)).collect();
        Network { internal, external, scanners }
    }
}

/// One flow log record.
struct Rec<'a> {
    src: &'a str,
    dst: &'a str,
    sport: u16,
    dport: u16,
    proto: u8,
    bytes: i64,
    start: i64,
    dur: i64,
    action: &'a str,
}

fn write_rec(out: &mut Vec<u8>, r: &Rec) {
    let packets = r.bytes / 1200 + 1;
    let _ = writeln!(
        out,
        "2 {} {} {} {} {} {} {} {} {} {} OK",
        r.src,
        r.dst,
        r.sport,
        r.dport,
        r.proto,
        packets,
        r.bytes,
        r.start,
        r.start + r.dur,
        r.action
    );
}

/// Write `opts.records` records to `out`, oldest first. Returns the records written.
pub fn generate(opts: &GenOptions, out: &mut impl Write) -> io::Result<u64> {
    let mut rng = Rng(opts.seed ^ 0x5eed_f10e);
    let net = Network::new(&mut rng, opts.shape);
    let near_unique = opts.shape == GenShape::NearUnique;
    let span = opts.days.max(1) as i64 * 86_400;
    let planted = planted(opts);
    let mut next_planted = 0;
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
    let mut written = 0u64;
    let mut left_out = 0u64;
    let n = opts.records;
    if let Some(h) = header(opts.format) {
        out.write_all(h.as_bytes())?;
    }
    while written < n {
        let t = opts.start + (written as i128 * span as i128 / n.max(1) as i128) as i64;
        if next_planted < planted.len() && t >= planted[next_planted].start && n >= 1000 {
            let p = planted[next_planted];
            let rec = Rec {
                src: APP_SERVERS[0],
                dst: ANOMALY_CLIENT,
                sport: 80,
                dport: p.client_port,
                proto: 6,
                bytes: p.bytes,
                start: p.start,
                dur: 59,
                action: "ACCEPT",
            };
            write_rec(&mut buf, &rec);
            written += 1;
            next_planted += 1;
            continue;
        }
        let dur = rng.below(60) as i64;
        let eph = (32_768 + rng.below(28_000)) as u16;
        let roll = rng.below(1000);
        if roll < 10 {
            // Capture windows without traffic, and now and then one that lost records.
            let status = if rng.below(8) == 0 { "SKIPDATA" } else { "NODATA" };
            let _ = writeln!(buf, "2 - - - - - - - {t} {} - {status}", t + 60);
            written += 1;
            continue;
        }
        if roll < 60 {
            // A rejected scan probe: one record, no answer.
            let ports = [23u16, 3389, 445, 8080, 5432, 6379, 9200, 1433, 25, 111];
            let dport = if rng.below(4) == 0 { (1 + rng.below(65_000)) as u16 } else { *rng.pick(&ports) };
            let dst = rng.pick_str(&net.internal).to_string();
            let rec = Rec {
                src: rng.pick_str(&net.scanners),
                dst: &dst,
                sport: eph,
                dport,
                proto: 6,
                bytes: 40 + rng.below(20) as i64,
                start: t,
                dur: 0,
                action: "REJECT",
            };
            write_rec(&mut buf, &rec);
            written += 1;
            continue;
        }
        // An accepted connection: (client, server, port, proto, request size, response size range).
        let (client, server, port, proto, resp): (&str, &str, u16, u8, (f64, f64)) = match roll {
            60..=399 => (rng.pick_str(&net.external), rng.pick_str(&APP_SERVERS), 443, 6, (800.0, 4.0e6)),
            400..=499 => (rng.pick_str(&net.external), rng.pick_str(&APP_SERVERS), 80, 6, (300.0, 1.5e6)),
            500..=649 => (rng.pick_str(&net.internal), rng.pick_str(&DB_SERVERS), 1521, 6, (500.0, 8.0e5)),
            650..=699 => (rng.pick_str(&net.internal), MYSQL_SERVER, 3306, 6, (300.0, 4.0e5)),
            700..=779 => (rng.pick_str(&APP_SERVERS[1..]), APP_SERVERS[0], 7001, 6, (500.0, 6.0e5)),
            780..=819 => (rng.pick_str(&net.external[..40]), BASTION, 22, 6, (2000.0, 3.0e5)),
            820..=919 => (rng.pick_str(&net.internal), rng.pick_str(&net.external[..200]), 443, 6, (1000.0, 2.0e6)),
            920..=979 => (rng.pick_str(&net.internal), DNS_SERVER, 53, 17, (80.0, 500.0)),
            _ => (rng.pick_str(&net.external[..100]), FTP_SERVER, 21, 6, (200.0, 2.0e6)),
        };
        // Long transfers span several one-minute capture windows, each logging the
        // request and the response direction with the same ports.
        let windows = match rng.below(100) {
            0..=69 => 1,
            70..=89 => 2,
            90..=96 => 3,
            _ => 4 + rng.below(7) as i64,
        };
        for w in 0..windows {
            let start = t + w * 60;
            let dur = if w + 1 < windows { 59 } else { dur };
            let eph = if near_unique { (1024 + rng.below(64_512)) as u16 } else { eph };
            let request = Rec {
                src: client,
                dst: server,
                sport: eph,
                dport: port,
                proto,
                bytes: rng.log_range(60.0, 3000.0),
                start,
                dur,
                action: "ACCEPT",
            };
            write_rec(&mut buf, &request);
            written += 1;
            if written >= n {
                break;
            }
            let response = Rec {
                src: server,
                dst: client,
                sport: port,
                dport: eph,
                proto,
                bytes: rng.log_range(resp.0, resp.1),
                start,
                dur,
                action: "ACCEPT",
            };
            write_rec(&mut buf, &response);
            written += 1;
            if written >= n {
                break;
            }
        }
        if buf.len() >= 1 << 20 {
            left_out += write_as(&buf, opts.format, out)?;
            buf.clear();
        }
    }
    left_out += write_as(&buf, opts.format, out)?;
    out.flush()?;
    Ok(written - left_out)
}

#[cfg(test)]
mod tests;
