//! IP addresses as integers: every address is a `u128`, IPv4 held in its
//! IPv4-mapped form (`::ffff:a.b.c.d`) so both families order and compare in one domain.

use std::net::Ipv6Addr;

const V4_MAPPED: u128 = 0xffff_0000_0000;

/// The `u128` form of an IPv4 address.
#[inline]
pub fn from_v4(v4: u32) -> u128 {
    V4_MAPPED | v4 as u128
}

/// The IPv4 address held in `ip`, if it is one.
#[inline]
pub fn as_v4(ip: u128) -> Option<u32> {
    if ip >> 32 == 0xffff {
        Some(ip as u32)
    } else {
        None
    }
}

/// Parse dotted-quad IPv4 from bytes, by hand (the ingest hot path).
#[inline]
pub fn parse_v4_bytes(b: &[u8]) -> Option<u32> {
    let mut out: u32 = 0;
    let mut octet: u32 = 0;
    let mut digits = 0;
    let mut dots = 0;
    for &c in b {
        if c.is_ascii_digit() {
            octet = octet * 10 + (c - b'0') as u32;
            digits += 1;
            if digits > 3 || octet > 255 {
                return None;
            }
        } else if c == b'.' {
            if digits == 0 || dots == 3 {
                return None;
            }
            out = (out << 8) | octet;
            octet = 0;
            digits = 0;
            dots += 1;
        } else {
            return None;
        }
    }
    if dots != 3 || digits == 0 {
        return None;
    }
    Some((out << 8) | octet)
}

/// Parse IPv6 in its common forms (hex groups, at most one `::`) by hand; `None` for
/// anything else, which `std`'s parser then judges (an IPv4 tail, or not an address):
/// what this accepts `std` accepts as the same address (tested), three to four times
/// faster, and IPv6 addresses are half a load's parsing when the logs hold them.
fn parse_v6_common(b: &[u8]) -> Option<u128> {
    if b.len() < 2 || b.len() > 39 {
        return None;
    }
    let (mut head, mut tail) = ([0u16; 8], [0u16; 8]);
    let (mut nh, mut nt, mut gap) = (0usize, 0usize, false);
    let mut i = 0;
    if b.starts_with(b"::") {
        (gap, i) = (true, 2);
        if i == b.len() {
            return Some(0);
        }
    }
    loop {
        let start = i;
        let mut v = 0u16;
        while i < b.len() && i - start < 4 {
            let d = match b[i] {
                c @ b'0'..=b'9' => c - b'0',
                c @ b'a'..=b'f' => c - b'a' + 10,
                c @ b'A'..=b'F' => c - b'A' + 10,
                _ => break,
            };
            v = (v << 4) | u16::from(d);
            i += 1;
        }
        if i == start || nh + nt == 8 {
            return None;
        }
        if gap {
            tail[nt] = v;
            nt += 1;
        } else {
            head[nh] = v;
            nh += 1;
        }
        if i == b.len() {
            break;
        }
        if b[i] != b':' {
            return None;
        }
        i += 1;
        if b.get(i) == Some(&b':') {
            if gap {
                return None;
            }
            (gap, i) = (true, i + 1);
            if i == b.len() {
                break;
            }
        } else if i == b.len() {
            return None;
        }
    }
    if (gap && nh + nt > 7) || (!gap && nh + nt != 8) {
        return None;
    }
    let mut groups = [0u16; 8];
    groups[..nh].copy_from_slice(&head[..nh]);
    groups[8 - nt..].copy_from_slice(&tail[..nt]);
    Some(groups.iter().fold(0u128, |a, &g| (a << 16) | u128::from(g)))
}

/// Parse an IPv4 or IPv6 address.
pub fn parse_bytes(b: &[u8]) -> Option<u128> {
    if let Some(v4) = parse_v4_bytes(b) {
        return Some(from_v4(v4));
    }
    parse_v6_bytes(b)
}

/// Parse an IPv6 address (the IPv4 forms left to [`parse_v4_bytes`]).
pub fn parse_v6_bytes(b: &[u8]) -> Option<u128> {
    if let Some(v6) = parse_v6_common(b) {
        return Some(v6);
    }
    let s = std::str::from_utf8(b).ok()?;
    let v6: Ipv6Addr = s.parse().ok()?;
    Some(u128::from(v6))
}

/// Parse an address from text (surrounding spaces allowed).
pub fn parse(s: &str) -> Option<u128> {
    parse_bytes(s.trim().as_bytes())
}

/// A CIDR block: the network address and the prefix length in the u128 domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub network: u128,
    pub prefix: u32,
}

impl Cidr {
    /// Parse `a.b.c.d/n` or `x::/n`; a bare address is a /32 (/128) block.
    pub fn parse(s: &str) -> Option<Cidr> {
        let s = s.trim();
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.trim().parse::<u32>().ok()?)),
            None => (s, None),
        };
        let ip = parse(addr)?;
        let prefix = match (as_v4(ip), len) {
            (Some(_), Some(l)) if l <= 32 => 96 + l,
            (Some(_), None) => 128,
            (None, Some(l)) if l <= 128 => l,
            (None, None) => 128,
            _ => return None,
        };
        Some(Cidr { network: ip & mask(prefix), prefix })
    }

    pub fn contains(&self, ip: u128) -> bool {
        ip & mask(self.prefix) == self.network
    }
}

pub fn mask(prefix: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    }
}

/// RFC 1918, RFC 4193 (fc00::/7), loopback and link-local, for both families.
pub fn is_private(ip: u128) -> bool {
    if let Some(v4) = as_v4(ip) {
        let a = v4 >> 24;
        let b = (v4 >> 16) & 0xff;
        return a == 10
            || (a == 172 && (16..32).contains(&b))
            || (a == 192 && b == 168)
            || a == 127
            || (a == 169 && b == 254);
    }
    ip >> 121 == 0x7e // fc00::/7
        || ip == 1 // ::1
        || ip >> 118 == 0x3fa // fe80::/10
}

/// Append the conventional text form of `ip`: dotted quad, or RFC 5952's IPv6 form
/// (lowercase hex without leading zeros, the first longest run of two or more zero
/// groups as `::`), as `std`'s `Display` writes it, without its formatting machinery
/// (the output hot path: a third of writing a link over IPv6 addresses).
pub fn write(out: &mut String, ip: u128) {
    match as_v4(ip) {
        Some(v4) => {
            for i in 0..4 {
                if i > 0 {
                    out.push('.');
                }
                let n = (v4 >> (24 - 8 * i)) & 255;
                if n >= 100 {
                    out.push((b'0' + (n / 100) as u8) as char);
                }
                if n >= 10 {
                    out.push((b'0' + (n / 10 % 10) as u8) as char);
                }
                out.push((b'0' + (n % 10) as u8) as char);
            }
        }
        None => write_v6(out, ip),
    }
}

fn write_v6(out: &mut String, ip: u128) {
    let groups: [u16; 8] = std::array::from_fn(|i| (ip >> (112 - 16 * i)) as u16);
    let (mut run_at, mut run_len, mut i) = (8, 0, 0);
    while i < 8 {
        let start = i;
        while i < 8 && groups[i] == 0 {
            i += 1;
        }
        if i - start > run_len && i - start >= 2 {
            (run_at, run_len) = (start, i - start);
        }
        i = i.max(start + 1);
    }
    let (mut i, mut colon) = (0, false);
    while i < 8 {
        if i == run_at {
            out.push_str("::");
            (i, colon) = (i + run_len, false);
            continue;
        }
        if colon {
            out.push(':');
        }
        let g = groups[i];
        let digits = (4 - g.leading_zeros() / 4).max(1);
        for d in (0..digits).rev() {
            out.push(char::from(b"0123456789abcdef"[usize::from((g >> (4 * d)) & 15)]));
        }
        (i, colon) = (i + 1, true);
    }
}

pub fn to_string(ip: u128) -> String {
    let mut s = String::new();
    write(&mut s, ip);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_round_trip_and_order() {
        let a = parse("10.0.0.5").unwrap();
        assert_eq!(to_string(a), "10.0.0.5");
        assert!(parse("10.0.0.5").unwrap() < parse("10.0.1.0").unwrap());
        assert_eq!(parse("256.0.0.1"), None);
        assert_eq!(parse("1.2.3"), None);
        assert_eq!(parse("1.2.3.4.5"), None);
    }

    #[test]
    fn addresses_are_written_as_std_writes_them() {
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed
        };
        let mut cases: Vec<u128> =
            vec![0, 1, u128::MAX, 1 << 127, 0xffff, 0x1_0000_0000, from_v4(0), from_v4(u32::MAX)];
        for _ in 0..20_000 {
            // Groups zero by chance (runs of every length and place), else random.
            let mut ip = 0u128;
            let zeros = next();
            for g in 0..8 {
                let group = if zeros >> (g * 2) & 3 == 0 { 0 } else { next() as u16 >> (next() % 16) };
                ip = (ip << 16) | u128::from(group);
            }
            cases.push(ip);
        }
        for ip in cases {
            let expected = match as_v4(ip) {
                Some(v4) => std::net::Ipv4Addr::from(v4).to_string(),
                None => Ipv6Addr::from(ip).to_string(),
            };
            assert_eq!(to_string(ip), expected, "{ip:#x}");
        }
    }

    #[test]
    fn ipv6_is_parsed_as_std_parses_it() {
        let mut seed = 11u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let alphabet = b"0123456789abcdefABCDEF:.:::x ";
        let mut texts: Vec<String> = [
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8::",
            "1::2::3",
            ":1::2",
            "1::2:",
            "12345::1",
            "::ffff:1.2.3.4",
            "1:2:3:4:5:6:7",
            "0000:0000::0001",
            "FFFF::abcd",
            "1:::2",
            "",
        ]
        .map(String::from)
        .to_vec();
        for _ in 0..30_000 {
            // Written addresses, then the same with a character changed, dropped or added.
            let mut ip = 0u128;
            for _ in 0..8 {
                ip = (ip << 16) | if next() % 3 == 0 { 0 } else { (next() % 65_536) as u128 };
            }
            let mut t = Ipv6Addr::from(ip).to_string().into_bytes();
            match next() % 4 {
                0 => {}
                1 if !t.is_empty() => {
                    let at = next() % t.len();
                    t[at] = alphabet[next() % alphabet.len()];
                }
                2 if !t.is_empty() => {
                    t.remove(next() % t.len());
                }
                _ => t.insert(next() % (t.len() + 1), alphabet[next() % alphabet.len()]),
            }
            texts.push(String::from_utf8(t).unwrap());
        }
        for t in texts {
            let by_std = t.parse::<Ipv6Addr>().ok().map(u128::from);
            if let Some(mine) = parse_v6_common(t.as_bytes()) {
                assert_eq!(Some(mine), by_std, "'{t}'");
            }
            let both = parse_bytes(t.as_bytes());
            let v4 = t.parse::<std::net::Ipv4Addr>().ok().map(|a| from_v4(a.into()));
            assert_eq!(both, v4.or(by_std), "'{t}'");
        }
        assert!(parse_v6_common(b"2001:db8:1334:5679::679").is_some(), "the common form is read by hand");
    }

    #[test]
    fn v6_and_cidr() {
        let a = parse("2001:db8::1").unwrap();
        assert_eq!(to_string(a), "2001:db8::1");
        assert!(Cidr::parse("2001:db8::/32").unwrap().contains(a));
        let c = Cidr::parse("10.0.0.0/16").unwrap();
        assert!(c.contains(parse("10.0.255.1").unwrap()));
        assert!(!c.contains(parse("10.1.0.1").unwrap()));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(parse("8.8.8.8").unwrap()));
        assert!(!Cidr::parse("0.0.0.0/0").unwrap().contains(a));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
    }

    #[test]
    fn private_ranges() {
        for p in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.1.1",
            "fd00::1",
            "::1",
            "fe80::1",
        ] {
            assert!(is_private(parse(p).unwrap()), "{p}");
        }
        for p in ["172.32.0.1", "8.8.8.8", "2001:db8::1", "11.0.0.1"] {
            assert!(!is_private(parse(p).unwrap()), "{p}");
        }
    }
}
