//! Every strategy gives the same groups: keys in order, nulls last, members in input order.
use super::keys::*;
use super::*;
use crate::store::Column;
use crate::store::{ColumnBuilder, Value};

fn col(vals: &[Value]) -> Column {
    let mut b = ColumnBuilder::new(vals.len());
    for v in vals {
        b.push(v.clone());
    }
    b.finish()
}

#[test]
fn groups_sorted_with_nulls_last() {
    let a = col(&[Value::Int(5), Value::Null, Value::Int(-3), Value::Int(5), Value::Int(-3)]);
    let b = col(&[Value::str("x"), Value::str("y"), Value::str("Y"), Value::str("x"), Value::str("y")]);
    let g = group_by(&[Key::plain(&a), Key::plain(&b)], vec![0, 1, 2, 3, 4]);
    assert_eq!(g.len(), 4);
    // (-3, Y) first: equal to (-3, y) ignoring case, upper case first; nulls last.
    assert_eq!(g.gid, [2, 3, 0, 2, 1]);
    assert_eq!(g.first, [2, 4, 0, 1]);
    assert_eq!(g.counts(), [1, 1, 2, 1]);
}

#[test]
fn ranges_go_to_the_least_loaded_core() {
    // Dealt out in turn, the two large ranges would both go to core 0.
    let sizes = [8, 1, 8, 1, 0, 3];
    let owner = balance(&sizes, 2);
    let mut load = [0usize; 2];
    for (p, &o) in owner.iter().enumerate() {
        load[o] += sizes[p];
    }
    assert_eq!(load.iter().sum::<usize>(), 21);
    assert!(load[0].abs_diff(load[1]) <= 1, "{load:?}");
    assert_ne!(owner[0], owner[2]);
}

#[test]
fn fast_division_is_exact() {
    for d in [1u64, 3, 7, 1000, 60_000, 3_600_000, 86_400_000, 604_800_000] {
        let f = FastDiv::new(d);
        for x in (0..2000u64).chain([d - 1, d, d + 1, 5 * d - 1, 5 * d, u32::MAX as u64, 1 << 45, (1 << 45) + d - 1]) {
            assert_eq!(f.quotient(x), x / d, "{x} / {d}");
        }
    }
}

#[test]
fn time_buckets_group_like_floored_times() {
    let t = col(&(0..50)
        .map(|i| if i == 7 { Value::Null } else { Value::Time(i * 1_700_000 - 20_000_000) })
        .collect::<Vec<_>>());
    let rows: Vec<u32> = (0..50).collect();
    let g = group_by(&[Key { col: &t, bucket: Some(3_600_000) }], rows.clone());
    let floored = col(&(0..50)
        .map(|i| {
            if i == 7 {
                Value::Null
            } else {
                Value::Time((i * 1_700_000 - 20_000_000i64).div_euclid(3_600_000) * 3_600_000)
            }
        })
        .collect::<Vec<_>>());
    let h = group_by(&[Key::plain(&floored)], rows);
    assert_eq!(g.gid, h.gid);
    assert_eq!(g.n, h.n);
}

#[test]
fn merged_grouping_agrees_with_hashing() {
    let n = PARTITIONED_ROWS + 1000;
    let a = col(&(0..n).map(|i| Value::Int(((i * 31) % 1000) as i64 * 1_000_000_007)).collect::<Vec<_>>());
    let rows: Vec<u32> = (0..n as u32).collect();
    let g = group_by(&[Key::plain(&a)], rows.clone());
    let codes = [KeyCodes::new(Key::plain(&a), &rows)];
    let h = hashed(&rows, |r| codes[0].code(r) as u64);
    assert_eq!(g.n, 1000);
    assert_eq!(g.gid, h.gid);
    assert_eq!(g.first, h.first);
}

#[test]
fn partitioned_grouping_agrees_with_hashing() {
    let n = PARTITIONED_ROWS + 1000;
    let a = col(&(0..n).map(|i| Value::Int((i as i64 * 7919) % 5003 * 1_000_003)).collect::<Vec<_>>());
    let b =
        col(&(0..n).map(|i| if i % 97 == 0 { Value::Null } else { Value::Int((i % 17) as i64) }).collect::<Vec<_>>());
    let rows: Vec<u32> = (0..n as u32).rev().collect();
    let g = group_by(&[Key::plain(&a), Key::plain(&b)], rows.clone());
    let codes: Vec<KeyCodes> = [&a, &b].iter().map(|c| KeyCodes::new(Key::plain(c), &rows)).collect();
    let h = hashed(&rows, |r| codes.iter().fold(0u64, |k, c| (k << c.bits) | c.code(r) as u64));
    assert_eq!(g.n, h.n);
    // Same groups in the same (key) order: every row lands in the same group number.
    let mut by_row_g = vec![0u32; n];
    for (&r, &x) in g.rows.iter().zip(&g.gid) {
        by_row_g[r as usize] = x;
    }
    for (&r, &x) in h.rows.iter().zip(&h.gid) {
        assert_eq!(by_row_g[r as usize], x);
    }
    // Folds over many groups run per key range on all cores; same sums as one pass.
    assert!(g.n > 1 << 16 && g.segments.len() > 2);
    let sums = g.par_fold(0i64, |slots, k, x| slots[x] += g.rows[k] as i64, |a, b| *a += b);
    let mut want = vec![0i64; g.n];
    for (&r, &x) in g.rows.iter().zip(&g.gid) {
        want[x as usize] += r as i64;
    }
    assert_eq!(sums, want);
    // Members of a group keep the input order.
    let firsts: Vec<u32> = (0..g.n).map(|x| g.rows[g.gid.iter().position(|&y| y == x as u32).unwrap()]).collect();
    assert_eq!(firsts, g.first);
}

/// Rows of `g` by group, in group order, members in the order grouping kept them.
fn members(g: &Groups) -> Vec<Vec<u32>> {
    let mut by = vec![Vec::new(); g.n];
    for (&r, &x) in g.rows.iter().zip(&g.gid) {
        by[x as usize].push(r);
    }
    by
}

#[test]
fn keys_over_64_bits_group_by_range_and_agree() {
    // Two wide columns (a 128-bit packed key), one with nulls; a subset of the rows
    // in shuffled order: members must follow that order, groups the key order. With
    // the second column shifted by 49 the key leaves room for a position below its
    // range bits (one 16-byte entry per row); by 60 it does not ((key, position)
    // pairs).
    for (shift, compact) in [(49, true), (60, false)] {
        let n = 2 * PARTITIONED_ROWS;
        let a = col(&(0..n).map(|i| Value::Int((i as i64 * 7919) % 100_003 * 3_000_000_007)).collect::<Vec<_>>());
        let b = col(&(0..n)
            .map(|i| if i % 89 == 0 { Value::Null } else { Value::Int((i as i64 % 13) << shift) })
            .collect::<Vec<_>>());
        let rows: Vec<u32> =
            (0..n as u32).filter(|r| r % 7 != 3).map(|r| (r as u64 * 48271 % n as u64) as u32).collect();
        let keys = [Key::plain(&a), Key::plain(&b)];
        let g = group_by(&keys, rows.clone());
        let codes: Vec<KeyCodes> = keys.iter().map(|&k| KeyCodes::new(k, &rows)).collect();
        let bits = codes.iter().map(|c| c.bits).sum::<u32>();
        assert!(bits > 64 && (bits <= 96 + PARTITION_BITS) == compact, "{bits} bits");
        let h = hashed(&rows, |r| codes.iter().map(|c| c.code(r)).collect::<Vec<u128>>());
        assert!(g.n > 1 << 15 && g.segments.len() > 2, "{} groups, {} segments", g.n, g.segments.len());
        assert_eq!(members(&g), members(&h));
        assert_eq!(g.first, h.first);
    }
}

#[test]
fn one_wide_key_groups_by_range_and_agrees() {
    let n = PARTITIONED_ROWS + 3000;
    let a = col(&(0..n).map(|i| Value::Int((i as i64 * 7919) % 200_003 * 1_000_003)).collect::<Vec<_>>());
    let rows: Vec<u32> = (0..n as u32).rev().collect();
    let g = group_by(&[Key::plain(&a)], rows.clone());
    let codes = [KeyCodes::new(Key::plain(&a), &rows)];
    let h = hashed(&rows, |r| codes[0].code(r) as u64);
    assert_eq!(members(&g), members(&h));
    assert_eq!(g.first, h.first);
}

#[test]
fn wide_keys_fall_back_and_agree() {
    let f = col(&[Value::Float(1.5), Value::Float(-2.0), Value::Float(1.5)]);
    let g = group_by(&[Key::plain(&f), Key::plain(&f), Key::plain(&f)], vec![0, 1, 2]);
    assert_eq!(g.len(), 2);
    assert_eq!(g.gid, [1, 0, 1]);
    let sel = g.select(&[1]);
    assert_eq!((sel.rows.as_slice(), sel.gid.as_slice(), sel.first.as_slice()), (&[0, 2][..], &[0, 0][..], &[0][..]));
    let wide = col(&[Value::Int(1), Value::Int(1_000_000_000_000), Value::Int(1)]);
    let g = group_by(&[Key::plain(&wide)], vec![0, 1, 2]);
    assert_eq!(g.gid, [0, 1, 0]);
}

#[test]
fn ipv6_keys_beside_others_are_ranked_and_agree() {
    // Two IPv6 columns (128 bits of range each, with nulls) and a port: ranked, the
    // key packs into one integer, and the groups are those of the unranked codes,
    // in the same order, members in input order.
    let n = PARTITIONED_ROWS + 5000;
    let v6 = |i: usize| Value::Ip((0x2001_0db8u128 << 96) | ((i as u128 * 7919) % 1500) << 8 | 1);
    let src = col(&(0..n).map(|i| if i % 97 == 0 { Value::Null } else { v6(i) }).collect::<Vec<_>>());
    let dst = col(&(0..n).map(|i| if i % 5 == 0 { Value::Ip(i as u128 % 7) } else { v6(i * 31) }).collect::<Vec<_>>());
    let port = col(&(0..n).map(|i| Value::Int((i % 300) as i64)).collect::<Vec<_>>());
    let rows: Vec<u32> = (0..n as u32).filter(|r| r % 11 != 4).map(|r| (r as u64 * 48271 % n as u64) as u32).collect();
    let keys = [Key::plain(&src), Key::plain(&port), Key::plain(&dst)];
    let raw: Vec<KeyCodes> = keys.iter().map(|&k| KeyCodes::new(k, &rows)).collect();
    assert!(raw.iter().map(|c| c.bits).sum::<u32>() > 128, "the case ranking is for");
    let mut ranked: Vec<KeyCodes> = keys.iter().map(|&k| KeyCodes::new(k, &rows)).collect();
    ranked.iter_mut().for_each(|c| c.rank_wide(&rows));
    assert!(ranked.iter().map(|c| c.bits).sum::<u32>() <= 64, "ranks are narrow");
    let g = group_by(&keys, rows.clone());
    let h = hashed(&rows, |r| raw.iter().map(|c| c.code(r)).collect::<Vec<u128>>());
    assert_eq!(g.n, h.n);
    assert_eq!(members(&g), members(&h));
    assert_eq!(g.first, h.first);
}
