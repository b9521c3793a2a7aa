//! Sizes as packs write them (`2GiB`, `2G`, `2 Go`, `500M`, bytes) and as evidence shows them.

/// Parses a size; K, M, G, T (with or without `i`, `B`, `o`) are powers of 1024, as
/// `lvcreate -L` reads them.
/// Errors are `(français, English)`.
pub(crate) fn parse_size(text: &str) -> Result<u64, (String, String)> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number.parse().map_err(|_| {
        (
            "un nombre est attendu avant l'unité".to_owned(),
            "a number is expected before the unit".to_owned(),
        )
    })?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit
        .trim_end_matches(['b', 'o'])
        .trim_end_matches('i')
        .to_owned();
    let factor: u64 = match unit.as_str() {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        other => {
            return Err((
                format!("unité « {other} » inconnue (K, M, G, T)"),
                format!("unknown unit \"{other}\" (K, M, G, T)"),
            ));
        }
    };
    let bytes = number * factor as f64;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err((
            "taille hors limites".to_owned(),
            "size out of bounds".to_owned(),
        ));
    }
    Ok(bytes.round() as u64)
}

/// A tolerance: `5%` of `size`, or a size.
pub(crate) fn parse_tolerance(text: &str, size: u64) -> Result<u64, (String, String)> {
    match text.trim().strip_suffix('%') {
        Some(p) => {
            let p: f64 = p.trim().parse().map_err(|_| {
                (
                    "pourcentage illisible".to_owned(),
                    "unreadable percentage".to_owned(),
                )
            })?;
            if !(0.0..=100.0).contains(&p) {
                return Err((
                    "pourcentage entre 0 et 100 attendu".to_owned(),
                    "percentage from 0 to 100 expected".to_owned(),
                ));
            }
            Ok((size as f64 * p / 100.0).round() as u64)
        }
        None => parse_size(text),
    }
}

/// `2147483648` → `2 GiB`, `130023424` → `124 MiB`, one decimal when not round (IEC symbols,
/// the same in both languages).
pub(crate) fn show_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 4] = [
        ("TiB", 1 << 40),
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
    ];
    for (name, factor) in UNITS {
        if bytes >= factor {
            let v = bytes as f64 / factor as f64;
            return if bytes.is_multiple_of(factor) {
                format!("{} {name}", bytes / factor)
            } else {
                format!("{v:.1} {name}")
            };
        }
    }
    format!("{bytes} B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_subjects_write_them() {
        for (text, bytes) in [
            ("2GiB", 2u64 << 30),
            ("2G", 2 << 30),
            ("2 Go", 2 << 30),
            ("2gb", 2 << 30),
            ("500M", 500 << 20),
            ("1.5G", 3 << 29),
            ("4096", 4096),
        ] {
            assert_eq!(parse_size(text), Ok(bytes), "{text}");
        }
        assert!(parse_size("2 parsecs").is_err());
        assert!(parse_size("G").is_err());
        assert_eq!(parse_tolerance("5%", 2 << 30), Ok(107374182));
        assert_eq!(parse_tolerance("64M", 2 << 30), Ok(64 << 20));
        assert_eq!(show_size(2 << 30), "2 GiB");
        assert_eq!(show_size(130023424), "124 MiB");
    }
}
