//! The terminal table: aligned columns, numbers right-aligned, times and durations in
//! readable form, control characters escaped so log content cannot drive the terminal.

use std::io::{self, Write};

use owo_colors::OwoColorize;

use super::TableStyle;
use crate::escape::escape_controls;
use crate::store::column::display_value;
use crate::store::unit::link_parts;
use crate::store::{DataType, Table, Unit};

pub fn write(t: &Table, style: TableStyle, out: &mut dyn Write) -> io::Result<()> {
    let shown = style.max_rows.map_or(t.len(), |m| m.min(t.len()));
    let ncols = t.fields.len();
    let mut cells: Vec<Vec<String>> = Vec::with_capacity(shown);
    // The targets of cells made by `url()`, drawn as hyperlinks when colours are on.
    let mut links: std::collections::HashMap<(usize, usize), String> = std::collections::HashMap::new();
    let mut widths: Vec<usize> = t.fields.iter().map(|f| escape_controls(&f.name).chars().count()).collect();
    for r in 0..shown {
        let row: Vec<String> = (0..ncols)
            .map(|c| {
                let mut s = String::new();
                let v = t.get(c, r);
                match (t.fields[c].unit, v.as_f64()) {
                    (Some(u), Some(x)) if !matches!(v, crate::store::Value::Str(_)) => u.humanise(x, &mut s),
                    (Some(Unit::Link), _) if style.color => match v.to_text().as_deref().and_then(link_parts) {
                        Some((label, link)) if escape_controls(link) == link => {
                            links.insert((r, c), link.to_string());
                            s = label;
                        }
                        _ => display_value(&v, &mut s),
                    },
                    _ => display_value(&v, &mut s),
                }
                escape_controls(&s)
            })
            .collect();
        for (w, s) in widths.iter_mut().zip(&row) {
            *w = (*w).max(s.chars().count());
        }
        cells.push(row);
    }
    if let Some(limit) = style.width {
        fit(&mut widths, limit);
        for row in &mut cells {
            for (s, &w) in row.iter_mut().zip(&widths) {
                cut(s, w);
            }
        }
    }
    let right: Vec<bool> = t.fields.iter().map(|f| f.dtype.is_numeric() && f.dtype != DataType::Duration).collect();
    let pad = |s: &str, w: usize, right: bool| {
        let mut s = s.to_string();
        cut(&mut s, w);
        let fill = " ".repeat(w.saturating_sub(s.chars().count()));
        if right {
            format!("{fill}{s}")
        } else {
            format!("{s}{fill}")
        }
    };
    let header: Vec<String> =
        t.fields.iter().zip(&widths).zip(&right).map(|((f, &w), &r)| pad(&escape_controls(&f.name), w, r)).collect();
    let header = header.join("  ").trim_end().to_string();
    let rule: Vec<String> = widths.iter().map(|&w| "─".repeat(w)).collect();
    let rule = rule.join("  ");
    if style.color {
        writeln!(out, "{}", header.bold())?;
        writeln!(out, "{}", rule.dimmed())?;
    } else {
        writeln!(out, "{header}")?;
        writeln!(out, "{rule}")?;
    }
    // Rows marked by highlightrows / highlightgroups are drawn in their colour.
    let highlight = t
        .fields
        .iter()
        .position(|f| f.name == crate::plan::HIGHLIGHT_COLUMN && f.dtype == DataType::Str)
        .filter(|_| style.color);
    for (r, row) in cells.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .zip(&right)
            .enumerate()
            .map(|(c, ((s, &w), &right))| {
                let cell = pad(s, w, right);
                match links.get(&(r, c)) {
                    // OSC 8: the padded label, linked; the padding stays outside the link.
                    Some(link) => {
                        let label = cell.trim_end();
                        format!("\x1b]8;;{link}\x1b\\{label}\x1b]8;;\x1b\\{}", &cell[label.len()..])
                    }
                    None => cell,
                }
            })
            .collect();
        let line = line.join("  ").trim_end().to_string();
        match highlight.and_then(|h| t.get(h, r).to_text().map(|c| c.into_owned())) {
            Some(colour) => writeln!(out, "{}", paint(&line, &colour))?,
            None => writeln!(out, "{line}")?,
        }
    }
    let more = t.len() - shown;
    let footer = if more > 0 {
        format!("... {} more rows (use --format csv or head)", group_digits(more))
    } else {
        format!("{} row{}", group_digits(t.len()), if t.len() == 1 { "" } else { "s" })
    };
    if style.color {
        writeln!(out, "{}", footer.dimmed())
    } else {
        writeln!(out, "{footer}")
    }
}

/// Narrow the widest columns until the table (with two spaces between columns) fits
/// in `limit`; no column goes below 6 characters (or its natural width).
fn fit(widths: &mut [usize], limit: usize) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    let floor: Vec<usize> = widths.iter().map(|&w| w.min(6)).collect();
    while total(widths) > limit {
        let Some((i, _)) = widths.iter().enumerate().filter(|(i, w)| **w > floor[*i]).max_by_key(|(_, w)| **w) else {
            break;
        };
        widths[i] -= 1;
    }
}

/// Cut `s` to `w` characters, the last one `…`, when it is longer.
fn cut(s: &mut String, w: usize) {
    if s.chars().count() > w {
        let kept: String = s.chars().take(w.saturating_sub(1)).collect();
        *s = format!("{kept}…");
    }
}

/// `line` in a highlight colour (one of [`crate::plan::HIGHLIGHT_COLORS`]).
fn paint(line: &str, colour: &str) -> String {
    match colour {
        "red" => line.red().to_string(),
        "green" => line.green().to_string(),
        "blue" => line.blue().to_string(),
        "magenta" => line.magenta().to_string(),
        "cyan" => line.cyan().to_string(),
        _ => line.yellow().to_string(),
    }
}

/// `123456` → `123,456`.
pub fn group_digits(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_a_narrow_terminal() {
        let mut w = vec![10, 40, 8];
        fit(&mut w, 40);
        assert_eq!(w.iter().sum::<usize>() + 4, 40);
        assert_eq!(w, [10, 18, 8]);
        let mut s = "abcdefghij".to_string();
        cut(&mut s, 5);
        assert_eq!(s, "abcd…");
    }

    #[test]
    fn escapes_and_groups() {
        assert_eq!(escape_controls("a\x1b[31mb\n"), "a\\x1b[31mb\\n");
        assert_eq!(escape_controls("report\u{202e}txt.exe"), "report\\u{202e}txt.exe");
        assert_eq!(escape_controls("\u{9b}31m"), "\\x9b31m");
        assert_eq!(escape_controls("Zürich"), "Zürich");
        assert_eq!(group_digits(1234567), "1,234,567");
        assert_eq!(group_digits(12), "12");
    }
}
