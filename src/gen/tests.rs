//! The generator's promises: deterministic, sized, and each shape what it claims.
use super::*;

#[test]
fn deterministic_per_seed_and_sized() {
    let opts = GenOptions { records: 5000, ..Default::default() };
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    assert_eq!(generate(&opts, &mut a).unwrap(), 5000);
    generate(&opts, &mut b).unwrap();
    generate(&GenOptions { seed: 2, ..opts.clone() }, &mut c).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let text = String::from_utf8(a).unwrap();
    assert_eq!(text.lines().count(), 5000);
    for p in planted(&opts) {
        assert!(text.contains(&format!(" {} {} ", p.bytes, p.start)), "planted transfer missing");
    }
}

/// The share of records whose (day, 4-tuple) is seen once, and of addresses that are
/// IPv6, in `shape`'s data.
fn measure(shape: GenShape) -> (f64, f64) {
    let opts = GenOptions { records: 20_000, days: 1, shape, ..Default::default() };
    let mut out = Vec::new();
    generate(&opts, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut tuples = std::collections::HashMap::new();
    let (mut addresses, mut v6) = (0, 0);
    for line in text.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        if f[1] == "-" {
            continue;
        }
        *tuples.entry((f[1], f[2], f[3], f[4])).or_insert(0) += 1;
        addresses += 2;
        v6 += f[1..3].iter().filter(|a| a.contains(':')).count();
    }
    let once = tuples.values().filter(|&&n| n == 1).count() as f64 / tuples.values().sum::<i32>() as f64;
    (once, v6 as f64 / addresses as f64)
}

#[test]
fn each_shape_holds_what_it_claims() {
    let (once, v6) = measure(GenShape::Default);
    assert!(once < 0.5, "connections repeat their 4-tuple: {once}");
    assert_eq!(v6, 0.0);
    let (once, v6) = measure(GenShape::NearUnique);
    assert!(once > 0.95, "nearly every record its own 4-tuple: {once}");
    assert_eq!(v6, 0.0);
    let (_, v6) = measure(GenShape::Ipv6);
    assert!((0.4..0.6).contains(&v6), "about half the addresses IPv6: {v6}");
    // The canonical form every engine prints: no leading zeros, one `::`.
    assert_eq!(v6_text(), "2001:db8:1334:5679::679");
}

fn v6_text() -> String {
    v6(0x1234_5678, 0x0678)
}
