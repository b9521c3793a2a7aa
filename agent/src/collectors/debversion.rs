//! Debian version ordering, exactly dpkg's algorithm (`epoch:upstream-revision`, `~` sorts
//! before everything, even the end of the string; letters before other characters).

use std::cmp::Ordering;

/// Compares two Debian version strings as `dpkg --compare-versions` does.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (ea, ua, ra) = split(a);
    let (eb, ub, rb) = split(b);
    ea.cmp(&eb)
        .then_with(|| verrevcmp(ua.as_bytes(), ub.as_bytes()))
        .then_with(|| verrevcmp(ra.as_bytes(), rb.as_bytes()))
}

/// `(epoch, upstream, revision)`; a missing epoch is 0 and a missing revision is empty, as in
/// dpkg's `parseversion`.
fn split(v: &str) -> (u64, &str, &str) {
    let v = v.trim();
    let (epoch, rest) = match v.split_once(':') {
        Some((e, rest)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => {
            (e.parse().unwrap_or(u64::MAX), rest)
        }
        _ => (0, v),
    };
    match rest.rsplit_once('-') {
        Some((upstream, revision)) => (epoch, upstream, revision),
        None => (epoch, rest, ""),
    }
}

/// dpkg's `order()`: digits 0, letters their code, `~` -1, end 0, others code + 256.
fn order(c: u8) -> i32 {
    if c.is_ascii_digit() {
        0
    } else if c.is_ascii_alphabetic() {
        i32::from(c)
    } else if c == b'~' {
        -1
    } else if c != 0 {
        i32::from(c) + 256
    } else {
        0
    }
}

/// dpkg's `verrevcmp()`, byte for byte (a NUL past the end).
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let (mut i, mut j) = (0, 0);
    while at(a, i) != 0 || at(b, j) != 0 {
        let mut first_diff: i32 = 0;
        while (at(a, i) != 0 && !at(a, i).is_ascii_digit())
            || (at(b, j) != 0 && !at(b, j).is_ascii_digit())
        {
            let (ac, bc) = (order(at(a, i)), order(at(b, j)));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while at(a, i) == b'0' {
            i += 1;
        }
        while at(b, j) == b'0' {
            j += 1;
        }
        while at(a, i).is_ascii_digit() && at(b, j).is_ascii_digit() {
            if first_diff == 0 {
                first_diff = i32::from(at(a, i)) - i32::from(at(b, j));
            }
            i += 1;
            j += 1;
        }
        if at(a, i).is_ascii_digit() {
            return Ordering::Greater;
        }
        if at(b, j).is_ascii_digit() {
            return Ordering::Less;
        }
        if first_diff != 0 {
            return first_diff.cmp(&0);
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::{Equal, Greater, Less};

    /// Cases from dpkg's own test suite (`lib/dpkg/t/t-version.c`) and Debian policy §5.6.12,
    /// plus the shapes seen in bookworm's lists; every row agrees with `dpkg --compare-versions` (`+deb12u1`, `~deb12u1`, `+b1`, epochs).
    #[test]
    fn dpkg_ordering_table() {
        let table: &[(&str, &str, Ordering)] = &[
            ("1.0", "1.0", Equal),
            ("0:1.0", "1.0", Equal),
            ("1.0-0", "1.0", Equal),
            ("1:1.0", "2.0", Greater),
            ("1:0.1", "0:9.9", Greater),
            ("10:1", "9:99", Greater),
            ("1.0~rc1", "1.0", Less),
            ("1.0~~", "1.0~", Less),
            ("1.0~~a", "1.0~~", Greater),
            ("1.0~", "1.0", Less),
            ("1.0", "1.0a", Less),
            ("1.0a", "1.0+", Less),
            ("1.0+", "1.0.", Less),
            ("1.0", "1.0.0", Less),
            ("1.00", "1.0", Equal),
            ("1.01", "1.1", Equal),
            ("1.002", "1.10", Less),
            ("2.36-9+deb12u9", "2.36-9+deb12u10", Less),
            ("3.0.15-1~deb12u1", "3.0.15-1", Less),
            ("3.0.16-1~deb12u1", "3.0.15-1", Greater),
            ("5.2.15-2+b8", "5.2.15-2+b13", Less),
            ("1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u5", Less),
            ("1:9.2p1-2", "9.9p1-2", Greater),
            ("12.4+deb12u11", "12.4+deb12u15", Less),
            ("1.2.3-1", "1.2.3-1ubuntu1", Less),
            ("1.2-3-4", "1.2-3-5", Less),
            ("1.2-3-4", "1.2-4", Greater),
            ("a", "b", Less),
            ("A", "a", Less),
            ("7.88.1-10+deb12u12", "7.88.1-10+deb12u8", Greater),
            ("2.4.62-1~deb12u2", "2.4.62-1~deb12u1", Greater),
            ("0", "00", Equal),
            ("1.0-1", "1.0-1~bpo12+1", Greater),
        ];
        for (a, b, expected) in table {
            assert_eq!(compare(a, b), *expected, "{a} vs {b}");
            assert_eq!(compare(b, a), expected.reverse(), "{b} vs {a}");
        }
    }
}
