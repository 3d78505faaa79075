//! Charts of results as self-contained SVG (or an HTML page holding it): `classify`
//! results as a bubble chart, `timestats` results as a line chart with one series per
//! by-value, `geostats` results as a map (map.rs). No scripts, fonts or network: any
//! browser opens them.

use std::fmt::Write as _;

use crate::store::{DataType, Table};

const W: f64 = 960.0;
const H: f64 = 600.0;
const LEFT: f64 = 110.0;
const RIGHT: f64 = 220.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 80.0;
const PALETTE: [&str; 8] = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#bab0ac"];

/// Text for SVG and HTML: control characters (which XML cannot hold, even as entities)
/// and text-reordering ones shown as escapes, then the markup characters as entities.
pub(super) fn esc(s: &str) -> String {
    crate::escape::escape_controls(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn text_of(t: &Table, c: usize, r: usize) -> String {
    let mut s = String::new();
    crate::store::column::display_value(&t.get(c, r), &mut s);
    s
}

/// One axis: numbers (linear or log), or categories.
enum Axis {
    Numbers { lo: f64, hi: f64, log: bool, time: bool },
    Categories(Vec<String>),
}

impl Axis {
    fn of_numbers(vals: &[f64], time: bool) -> Axis {
        let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let log = !time && lo > 0.0 && hi / lo > 1000.0;
        let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 1.0, hi + 1.0) };
        Axis::Numbers { lo, hi, log, time }
    }

    /// Position in 0..=1.
    fn place(&self, v: &AxisValue) -> f64 {
        match (self, v) {
            (Axis::Numbers { lo, hi, log: true, .. }, AxisValue::Number(x)) => {
                (x.max(*lo).ln() - lo.ln()) / (hi.ln() - lo.ln())
            }
            (Axis::Numbers { lo, hi, .. }, AxisValue::Number(x)) => (x - lo) / (hi - lo),
            (Axis::Categories(c), AxisValue::Category(s)) => {
                let i = c.iter().position(|x| x == s).unwrap_or(0);
                (i as f64 + 0.5) / c.len().max(1) as f64
            }
            _ => 0.5,
        }
    }

    fn ticks(&self) -> Vec<(f64, String)> {
        match self {
            Axis::Categories(c) => {
                c.iter().enumerate().map(|(i, s)| ((i as f64 + 0.5) / c.len() as f64, s.clone())).collect()
            }
            Axis::Numbers { lo, hi, log, time } => (0..=4)
                .map(|k| {
                    let f = k as f64 / 4.0;
                    let v = if *log { (lo.ln() + f * (hi.ln() - lo.ln())).exp() } else { lo + f * (hi - lo) };
                    let label = if *time {
                        let mut s = String::new();
                        crate::store::time::write_table(&mut s, v as i64);
                        s[..16.min(s.len())].to_string()
                    } else {
                        human(v)
                    };
                    (f, label)
                })
                .collect(),
        }
    }
}

fn human(v: f64) -> String {
    let a = v.abs();
    let (d, unit) = if a >= 1e9 {
        (1e9, "G")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let x = v / d;
    if unit.is_empty() && x.fract() == 0.0 {
        format!("{x}")
    } else {
        format!("{x:.1}{unit}")
    }
}

enum AxisValue {
    Number(f64),
    Category(String),
}

/// A property of a classify result: a Min/Max pair (numbers, times) or a text column.
enum Prop {
    Range { name: String, min: usize, max: usize, time: bool },
    Text { name: String, col: usize },
}

impl Prop {
    fn name(&self) -> &str {
        match self {
            Prop::Range { name, .. } | Prop::Text { name, .. } => name,
        }
    }

    fn value(&self, t: &Table, r: usize) -> AxisValue {
        match self {
            Prop::Range { min, max, .. } => {
                let (a, b) = (t.get(*min, r).as_f64(), t.get(*max, r).as_f64());
                AxisValue::Number(match (a, b) {
                    (Some(a), Some(b)) => (a + b) / 2.0,
                    (Some(a), None) | (None, Some(a)) => a,
                    _ => 0.0,
                })
            }
            Prop::Text { col, .. } => AxisValue::Category(text_of(t, *col, r)),
        }
    }

    fn axis(&self, t: &Table) -> Axis {
        match self {
            Prop::Range { time, .. } => {
                let vals: Vec<f64> = (0..t.len())
                    .filter_map(|r| match self.value(t, r) {
                        AxisValue::Number(x) => Some(x),
                        AxisValue::Category(_) => None,
                    })
                    .collect();
                Axis::of_numbers(&vals, *time)
            }
            Prop::Text { col, .. } => {
                let mut c: Vec<String> = (0..t.len()).map(|r| text_of(t, *col, r)).collect();
                c.sort();
                c.dedup();
                Axis::Categories(c)
            }
        }
    }
}

/// The properties of a classify result, in order, when `t` is one.
fn classify_props(t: &Table) -> Option<Vec<Prop>> {
    let pct = t.index_of("Percentage")?;
    let anomaly = t.index_of("Anomaly")?;
    t.index_of("Group Count")?;
    let mut props = Vec::new();
    let mut i = pct + 1;
    while i < anomaly {
        let name = &t.fields[i].name;
        match name.strip_suffix(" Min") {
            Some(base) if t.fields.get(i + 1).is_some_and(|f| f.name == format!("{base} Max")) => {
                props.push(Prop::Range {
                    name: base.to_string(),
                    min: i,
                    max: i + 1,
                    time: t.fields[i].dtype == DataType::Time,
                });
                i += 2;
            }
            _ => {
                props.push(Prop::Text { name: name.clone(), col: i });
                i += 1;
            }
        }
    }
    Some(props)
}

fn frame(out: &mut String, title: &str, x: &Axis, xname: &str, y: &Axis, yname: &str) {
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">
<rect width="{W}" height="{H}" fill="white"/>
<text x="{}" y="28" font-size="16" font-weight="bold">{}</text>
"##,
        LEFT,
        esc(title)
    );
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let _ = writeln!(out, r##"<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>"##);
    for (f, label) in x.ticks() {
        let px = LEFT + f * pw;
        let _ = writeln!(
            out,
            r##"<line x1="{px:.1}" y1="{}" x2="{px:.1}" y2="{}" stroke="#eee"/><text class="xtick" x="{px:.1}" y="{}" text-anchor="middle">{}</text>"##,
            TOP,
            TOP + ph,
            TOP + ph + 18.0,
            esc(&label)
        );
    }
    for (f, label) in y.ticks() {
        let py = TOP + ph - f * ph;
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" y1="{py:.1}" x2="{}" y2="{py:.1}" stroke="#eee"/><text class="ytick" x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            LEFT + pw,
            LEFT - 8.0,
            py + 4.0,
            esc(&label)
        );
    }
    let _ = writeln!(
        out,
        r##"<text x="{:.1}" y="{}" text-anchor="middle" font-weight="bold">{}</text><text x="20" y="{:.1}" font-weight="bold" transform="rotate(-90 20 {:.1})" text-anchor="middle">{}</text>"##,
        LEFT + pw / 2.0,
        H - 20.0,
        esc(xname),
        TOP + ph / 2.0,
        TOP + ph / 2.0,
        esc(yname)
    );
}

fn bubbles(t: &Table, props: &[Prop]) -> Result<String, String> {
    let x = props.first().ok_or("classify a property to chart")?;
    let y = props.get(1).unwrap_or(x);
    let size = props.get(2);
    let colour = props.get(3);
    let (xa, ya) = (x.axis(t), y.axis(t));
    let count = t.index_of("Group Count").unwrap_or(0);
    let anomaly = t.index_of("Anomaly").unwrap_or(0);
    let mut out = String::new();
    frame(&mut out, &format!("{} clusters", t.len()), &xa, x.name(), &ya, y.name());
    let sizes: Vec<f64> = (0..t.len())
        .map(|r| match size.map(|s| s.value(t, r)) {
            Some(AxisValue::Number(v)) => v.max(0.0),
            _ => t.get(count, r).as_f64().unwrap_or(1.0),
        })
        .collect();
    let biggest = sizes.iter().copied().fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let mut categories: Vec<String> = Vec::new();
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    // Small bubbles are drawn last, so they stay visible on top of big ones.
    let mut order: Vec<usize> = (0..t.len()).collect();
    order.sort_by(|&a, &b| sizes[b].total_cmp(&sizes[a]));
    for r in order {
        let px = LEFT + xa.place(&x.value(t, r)) * pw;
        let py = TOP + ph - ya.place(&y.value(t, r)) * ph;
        let radius = 4.0 + 26.0 * (sizes[r] / biggest).sqrt();
        let is_anomaly = t.get(anomaly, r).is_true();
        let fill = match colour.map(|c| c.value(t, r)) {
            Some(AxisValue::Category(c)) => {
                let i = categories.iter().position(|x| *x == c).unwrap_or_else(|| {
                    categories.push(c);
                    categories.len() - 1
                });
                PALETTE[i % PALETTE.len()]
            }
            _ if is_anomaly => "#e15759",
            _ => PALETTE[0],
        };
        let tip: Vec<String> =
            t.fields.iter().enumerate().map(|(c, f)| format!("{}: {}", f.name, text_of(t, c, r))).collect();
        let (class, stroke) = if is_anomaly {
            ("bubble anomaly", r##"stroke="#d62728" stroke-width="4""##)
        } else {
            ("bubble", r##"stroke="#333" stroke-width="1""##)
        };
        let _ = writeln!(
            out,
            r##"<circle class="{class}" cx="{px:.1}" cy="{py:.1}" r="{radius:.1}" fill="{fill}" fill-opacity="0.6" {stroke}><title>{}</title></circle>"##,
            esc(&tip.join("\n"))
        );
    }
    let lx = W - RIGHT + 20.0;
    let mut ly = TOP + 10.0;
    let _ = writeln!(
        out,
        r##"<text x="{lx}" y="{ly}" font-weight="bold">{}</text>"##,
        esc(colour.map_or("Anomaly", |c| c.name()))
    );
    let legend: Vec<(String, &str)> = if colour.is_some() {
        categories.iter().enumerate().map(|(i, c)| (c.clone(), PALETTE[i % PALETTE.len()])).collect()
    } else {
        vec![("normal".to_string(), PALETTE[0]), ("anomaly".to_string(), "#e15759")]
    };
    for (label, fill) in legend {
        ly += 20.0;
        let _ = writeln!(
            out,
            r##"<circle cx="{lx}" cy="{:.1}" r="6" fill="{fill}"/><text x="{}" y="{ly:.1}">{}</text>"##,
            ly - 4.0,
            lx + 12.0,
            esc(&label)
        );
    }
    ly += 28.0;
    let _ = writeln!(
        out,
        r##"<circle cx="{lx}" cy="{:.1}" r="7" fill="none" stroke="#d62728" stroke-width="4"/><text x="{}" y="{ly:.1}">anomaly (red ring)</text>"##,
        ly - 4.0,
        lx + 12.0
    );
    if let Some(s) = size {
        let _ = writeln!(out, r##"<text x="{lx}" y="{:.1}">size: {}</text>"##, ly + 24.0, esc(s.name()));
    }
    out.push_str("</svg>\n");
    Ok(out)
}

fn lines(t: &Table) -> Result<String, String> {
    let time = t.index_of("Time").filter(|&i| t.fields[i].dtype == DataType::Time && i == 0).ok_or("no Time column")?;
    let value = (1..t.fields.len()).find(|&i| t.fields[i].dtype.is_numeric()).ok_or("no numeric column to draw")?;
    let by: Vec<usize> = (1..value).collect();
    let key = |r: usize| by.iter().map(|&c| text_of(t, c, r)).collect::<Vec<_>>().join(" / ");
    let mut series: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for r in 0..t.len() {
        let (Some(x), y) = (t.get(time, r).as_f64(), t.get(value, r).as_f64().unwrap_or(0.0)) else { continue };
        let k = key(r);
        match series.iter_mut().find(|(s, _)| *s == k) {
            Some((_, pts)) => pts.push((x, y)),
            None => series.push((k, vec![(x, y)])),
        }
    }
    let xs: Vec<f64> = series.iter().flat_map(|(_, p)| p.iter().map(|q| q.0)).collect();
    let mut ys: Vec<f64> = series.iter().flat_map(|(_, p)| p.iter().map(|q| q.1)).collect();
    ys.push(0.0);
    let (xa, ya) = (
        Axis::of_numbers(&xs, true),
        Axis::Numbers {
            lo: 0.0_f64.min(ys.iter().copied().fold(f64::INFINITY, f64::min)),
            hi: ys.iter().copied().fold(f64::NEG_INFINITY, f64::max).max(1.0),
            log: false,
            time: false,
        },
    );
    let mut out = String::new();
    let name = &t.fields[value].name;
    frame(&mut out, &format!("{name} over time"), &xa, "Time", &ya, name);
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let lx = W - RIGHT + 20.0;
    for (i, (label, pts)) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let path: Vec<String> = pts
            .iter()
            .map(|&(x, y)| {
                let px = LEFT + xa.place(&AxisValue::Number(x)) * pw;
                let py = TOP + ph - ya.place(&AxisValue::Number(y)) * ph;
                format!("{px:.1},{py:.1}")
            })
            .collect();
        let _ = writeln!(
            out,
            r##"<polyline class="series" points="{}" fill="none" stroke="{colour}" stroke-width="2"><title>{}</title></polyline>"##,
            path.join(" "),
            esc(if label.is_empty() { name } else { label })
        );
        if !label.is_empty() && i < 20 {
            let ly = TOP + 20.0 * (i as f64 + 1.0);
            let _ = writeln!(
                out,
                r##"<line x1="{lx}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="{colour}" stroke-width="3"/><text x="{}" y="{ly:.1}">{}</text>"##,
                ly - 4.0,
                lx + 16.0,
                ly - 4.0,
                lx + 22.0,
                esc(label)
            );
        }
    }
    out.push_str("</svg>\n");
    Ok(out)
}

/// The chart of a result: a bubble chart of `classify` output, a line chart of
/// `timestats` output, a map of `geostats` output; an error for other results.
pub fn svg(t: &Table) -> Result<String, String> {
    if let Some(props) = classify_props(t) {
        return bubbles(t, &props);
    }
    let coords = super::map::coordinate_columns(t);
    if !coords.is_empty() {
        return super::map::svg(t, &coords);
    }
    if t.fields.first().is_some_and(|f| f.name == "Time" && f.dtype == DataType::Time) {
        return lines(t);
    }
    Err("charts draw the results of classify (bubbles), timestats (lines) and geostats with coordinates (a map)"
        .to_string())
}

/// The chart in a self-contained HTML page.
pub fn html(t: &Table, title: &str) -> Result<String, String> {
    let svg = svg(t)?;
    Ok(format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{0}</title>\n<style>body{{font-family:sans-serif;margin:24px}} circle.bubble:hover{{fill-opacity:0.9}}</style></head>\n<body><h1>{0}</h1>\n{svg}<p>Hover over a bubble or line for its details. Made by flowq.</p></body></html>\n",
        esc(title)
    ))
}
