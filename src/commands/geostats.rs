//! `geostats [include = client|server|client,server|custom] <aggregate>, ... [by ...]`:
//! stats grouped by where the addresses are (Oracle's geostats, the Map view). The
//! places come from a geolocation table the user loads as the lookup table `geo`
//! (its first column address blocks; City, Region, Country, Continent and Coordinates,
//! or Latitude and Longitude, as it has them), or, with `include = custom`, from fields
//! the query made (`lookup … | geostats include = custom city = City …`).

use super::options::{self, OptionDef, OptionKind};
use super::stats::Stats;
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{Assign, CExpr, FrameKind, LookupOp, Op, Planner};
use crate::store::{DataType, Field, Value};
use crate::syntax::parts::{internal, stats_parts_with, Parts, Rule};
use crate::syntax::{AggItem, Name, OptionArg, Stage};

/// The lookup table that places addresses.
pub const GEO_TABLE: &str = "geo";

const PLACES: [&str; 5] = ["City", "Region", "Country", "Continent", "Coordinates"];

const CITY: OptionDef = OptionDef::new("city", OptionKind::Field, "include = custom: the field holding the city");
const REGION: OptionDef = OptionDef::new("region", OptionKind::Field, "include = custom: the field holding the region");
const COUNTRY: OptionDef =
    OptionDef::new("country", OptionKind::Field, "include = custom: the field holding the country");
const CONTINENT: OptionDef =
    OptionDef::new("continent", OptionKind::Field, "include = custom: the field holding the continent");
const COORDINATES: OptionDef =
    OptionDef::new("coordinates", OptionKind::Field, "include = custom: the field holding 'latitude,longitude'");

pub const DEF: CommandDef = CommandDef {
    name: "geostats",
    syntax: "geostats [include = client|server|client,server|custom] [city= region= country= continent= coordinates=] <aggregate> [as <name>], ... [by <field>, ...]",
    about: "stats grouped by where the addresses are: include=client (the default) places Source IP, server Destination IP, through the geolocation table loaded as lookup table geo (first column address blocks; City, Region, Country, Continent, Coordinates or Latitude and Longitude), as Client Host City … Client Host Coordinates (Server Host … for server); include=custom groups by the fields named with city=, region=, country=, continent=, coordinates=",
    options: &[CITY, REGION, COUNTRY, CONTINENT, COORDINATES],
    phrases: &[(Rule::geo_include, "include = client, server or custom"), (Rule::geo_side, "client, server or custom")],
    examples: &[(
        "* | eval Country = if(Action = ACCEPT, CH, FR) | geostats include = custom country = Country count, sum('Content Size Out') as Bytes",
        "Country,Count,Bytes\nCH,6,102500\nFR,3,360\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct GeoStats {
    pub sides: Vec<String>,
    pub options: Vec<OptionArg>,
    pub aggs: Vec<AggItem>,
    pub by: Vec<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut sides = Vec::new();
    let parts = stats_parts_with(p.rest, |part| match part.as_rule() {
        Rule::geo_include => {
            for s in part.clone().into_inner().filter(|x| x.as_rule() == Rule::geo_side) {
                sides.push(s.as_str().to_ascii_lowercase());
            }
            Ok(true)
        }
        _ => Ok(false),
    })?;
    if parts.aggs.is_empty() {
        return Err(internal(&p.cmd));
    }
    Ok(Box::new(GeoStats { sides, options: parts.options, aggs: parts.aggs, by: parts.by }))
}

impl Args for GeoStats {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let custom = self.sides.iter().any(|x| x == "custom");
        let mut group: Vec<Name> = Vec::new();
        if custom {
            if self.sides.len() > 1 {
                return Err(Diagnostic::query("include = custom goes alone").at(s.name_span));
            }
            for d in [&CITY, &REGION, &COUNTRY, &CONTINENT, &COORDINATES] {
                if let Some(o) = options::find(&self.options, d) {
                    group.push(options::field_name(o));
                }
            }
            if group.is_empty() {
                return Err(Diagnostic::query("include = custom needs the fields: city=, region=, country=, continent= or coordinates=")
                    .at(s.name_span)
                    .help("* | lookup table=places select City using 'Source IP' = Network | geostats include = custom city = City count"));
            }
        } else {
            if let Some(o) = [&CITY, &REGION, &COUNTRY, &CONTINENT, &COORDINATES]
                .iter()
                .find_map(|d| options::find(&self.options, d))
            {
                return Err(Diagnostic::query(format!("{}= goes with include = custom", o.name.text)).at(o.name.span));
            }
            let sides: Vec<&str> =
                if self.sides.is_empty() { vec!["client"] } else { self.sides.iter().map(String::as_str).collect() };
            for side in sides {
                group.extend(place(p, s, side)?);
            }
        }
        group.extend(self.by.iter().cloned());
        Stats { aggs: self.aggs.clone(), by: group }.plan(p, s)?;
        Ok(())
    }
}

/// Look up where `side`'s address is: its place fields, as names to group by.
fn place(p: &mut Planner<'_>, s: &Stage, side: &str) -> R<Vec<Name>> {
    if !matches!(p.scope.kind, FrameKind::Records) {
        return Err(Diagnostic::query("geostats places the addresses of records; use it before stats and link")
            .at(s.name_span)
            .help("or group by fields of your own with include = custom"));
    }
    let table = match p.lookups.get(GEO_TABLE) {
        Some(Ok(t)) => t,
        Some(Err(e)) => return Err(e.at(s.name_span)),
        None => {
            return Err(Diagnostic::query("geostats needs a geolocation table: load one as the lookup table geo")
                .at(s.name_span)
                .help("--lookup geo=places.csv, a CSV whose first column holds address blocks (10.0.0.0/8) and whose others are City, Region, Country, Continent, Coordinates (or Latitude and Longitude)"))
        }
    };
    let (address, prefix) =
        if side == "server" { ("Destination IP", "Server Host") } else { ("Source IP", "Client Host") };
    let key = p
        .scope
        .resolve(address)
        .ok_or_else(|| Diagnostic::query(format!("no field '{address}' here")).at(s.name_span))?;
    let mut select = Vec::new();
    let mut names = Vec::new();
    for place in PLACES {
        if let Some(c) = table.column_index(place) {
            select.push((c, format!("{prefix} {place}")));
        }
    }
    let (lat, lon) = (table.column_index("Latitude"), table.column_index("Longitude"));
    let coords_from_parts = table.column_index("Coordinates").is_none() && lat.is_some() && lon.is_some();
    if coords_from_parts {
        select.push((lat.unwrap_or(0), format!("{prefix} Latitude")));
        select.push((lon.unwrap_or(0), format!("{prefix} Longitude")));
    }
    if select.is_empty() {
        return Err(Diagnostic::query(format!(
            "the geolocation table '{}' has none of City, Region, Country, Continent, Coordinates, Latitude and Longitude",
            table.name
        ))
        .at(s.name_span)
        .note(format!("its columns: {}", table.columns.join(", "))));
    }
    let mut targets = Vec::new();
    for (c, name) in &select {
        p.push_field(Field::new(name.clone(), DataType::Str)).map_err(|e| e.at(s.name_span))?;
        targets.push((*c, name.clone(), None));
        if !(coords_from_parts && (name.ends_with("Latitude") || name.ends_with("Longitude"))) {
            names.push(Name { text: name.clone(), quoted: true, span: s.name_span });
        }
    }
    p.ops.push(Op::Lookup(LookupOp {
        table: table.clone(),
        keys: vec![(key, 0)],
        select: targets,
        max_matches: 1,
        default: None,
    }));
    if coords_from_parts {
        // 'latitude,longitude', as Logging Analytics writes coordinates.
        let (la, lo) = (p.scope.fields.len() - 2, p.scope.fields.len() - 1);
        let comma = CExpr::Concat(Box::new(CExpr::Col(la)), Box::new(CExpr::Lit(Value::Str(",".into()))));
        let expr = CExpr::Concat(Box::new(comma), Box::new(CExpr::Col(lo)));
        let name = format!("{prefix} Coordinates");
        p.push_field(Field::new(name.clone(), DataType::Str)).map_err(|e| e.at(s.name_span))?;
        p.ops.push(Op::Eval(vec![Assign { target: None, name: name.clone(), expr }]));
        names.push(Name { text: name, quoted: true, span: s.name_span });
    }
    Ok(names)
}

crate::commands::examples_test!(DEF);
