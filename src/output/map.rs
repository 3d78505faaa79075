//! The map of a `geostats` result: Oracle's console shows geostats on a world map; here
//! each row is a bubble at its coordinates (`latitude,longitude`) on a latitude and
//! longitude grid (equirectangular), sized by the first aggregate and labelled with the
//! row's city or country. flowq ships no coastlines: the grid, the labels and the
//! tooltips say where a bubble is. With client and server coordinates (`include =
//! client,server`) a line joins the two ends of each row.

use std::fmt::Write as _;

use super::chart::{esc, text_of};
use crate::store::{DataType, Table};

const W: f64 = 960.0;
const H: f64 = 540.0;
const PAD: f64 = 40.0;

/// `latitude,longitude` text as numbers in range.
fn coordinates(s: &str) -> Option<(f64, f64)> {
    let (lat, lon) = s.split_once(',')?;
    let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// The text columns of a result that hold coordinates, by name (`… Coordinates`).
pub fn coordinate_columns(t: &Table) -> Vec<usize> {
    (0..t.fields.len())
        .filter(|&i| t.fields[i].dtype == DataType::Str && t.fields[i].name.to_lowercase().ends_with("coordinates"))
        .collect()
}

fn place(lat: f64, lon: f64) -> (f64, f64) {
    (PAD + (lon + 180.0) / 360.0 * (W - 2.0 * PAD), PAD + (90.0 - lat) / 180.0 * (H - 2.0 * PAD))
}

/// The map, or an error when no row has coordinates.
pub fn svg(t: &Table, coords: &[usize]) -> Result<String, String> {
    let at = coords[0];
    let to = coords.get(1).copied();
    let size = (0..t.fields.len()).find(|&i| t.fields[i].dtype.is_numeric());
    let label = ["city", "country", "region", "continent"]
        .iter()
        .find_map(|k| (0..at).chain(at + 1..t.fields.len()).find(|&i| t.fields[i].name.to_lowercase().ends_with(k)));
    let largest =
        size.map(|c| (0..t.len()).filter_map(|r| t.get(c, r).as_f64()).fold(0.0_f64, f64::max)).unwrap_or(0.0);
    let mut out = String::new();
    let title = match size {
        Some(c) => format!("{} by {}", t.fields[c].name, t.fields[at].name),
        None => t.fields[at].name.clone(),
    };
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11"><rect width="{W}" height="{H}" fill="#f4f7fb"/><text x="{PAD}" y="24" font-size="15">{}</text>"##,
        esc(&title)
    );
    for lat in (-60..=60).step_by(30) {
        let (_, y) = place(f64::from(lat), 0.0);
        let width = if lat == 0 { 1.5 } else { 0.5 };
        let _ = writeln!(
            out,
            r##"<line x1="{PAD}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#9aa8b8" stroke-width="{width}"/><text x="4" y="{:.1}">{lat}°</text>"##,
            W - PAD,
            y + 4.0
        );
    }
    for lon in (-180..=180).step_by(30) {
        let (x, _) = place(0.0, f64::from(lon));
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{PAD}" x2="{x:.1}" y2="{}" stroke="#9aa8b8" stroke-width="0.5"/><text x="{:.1}" y="{}">{lon}°</text>"##,
            H - PAD,
            x - 10.0,
            H - PAD + 16.0
        );
    }
    let mut drawn = 0;
    for r in 0..t.len() {
        let Some((lat, lon)) = coordinates(&text_of(t, at, r)) else { continue };
        let (x, y) = place(lat, lon);
        let tip: Vec<String> =
            (0..t.fields.len()).map(|c| format!("{}: {}", t.fields[c].name, text_of(t, c, r))).collect();
        let tip = esc(&tip.join("\n"));
        if let Some((lat2, lon2)) = to.and_then(|c| coordinates(&text_of(t, c, r))) {
            let (x2, y2) = place(lat2, lon2);
            let _ = writeln!(
                out,
                r##"<line x1="{x:.1}" y1="{y:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#f28e2b" stroke-width="1.5"><title>{tip}</title></line><circle cx="{x2:.1}" cy="{y2:.1}" r="3" fill="#f28e2b"/>"##
            );
        }
        let value = size.and_then(|c| t.get(c, r).as_f64()).unwrap_or(0.0);
        let radius = if largest > 0.0 { 4.0 + 20.0 * (value.max(0.0) / largest).sqrt() } else { 6.0 };
        let _ = writeln!(
            out,
            r##"<circle class="bubble" cx="{x:.1}" cy="{y:.1}" r="{radius:.1}" fill="#4e79a7" fill-opacity="0.6" stroke="#2b4c70"><title>{tip}</title></circle>"##
        );
        if let Some(c) = label {
            let _ = writeln!(
                out,
                r##"<text x="{:.1}" y="{:.1}">{}</text>"##,
                x + radius + 2.0,
                y + 4.0,
                esc(&text_of(t, c, r))
            );
        }
        drawn += 1;
    }
    if drawn == 0 {
        return Err(format!("no row has coordinates in {} to draw", t.fields[at].name));
    }
    out.push_str("</svg>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::coordinates;

    #[test]
    fn coordinates_are_latitude_then_longitude_in_range() {
        assert_eq!(coordinates("47.37,8.54"), Some((47.37, 8.54)));
        assert_eq!(coordinates(" -33.9 , 151.2 "), Some((-33.9, 151.2)));
        assert_eq!(coordinates("91,0"), None);
        assert_eq!(coordinates("0,181"), None);
        assert_eq!(coordinates("Zurich"), None);
        assert_eq!(coordinates("NaN,1"), None);
    }
}
