//! Sequences: read from the relation round trip ([`super::relation`]); after every column is
//! read, the sequences a `serial` column owns fold back into the column
//! ([`mark_serials`]).

use postgres::Row;
use schema_core::model::{QualifiedName, Schema, Sequence};
use schema_core::DataType;

use super::Found;

/// A sequence's row of the relation query. An identity column's sequence belongs to its
/// column and is skipped.
pub(super) fn from_relation_row(row: &Row, name: QualifiedName, found: &mut Found) {
    let deptype: Option<String> = row.get(6);
    if deptype.as_deref() == Some("i") {
        return;
    }
    let owned_by = match (
        row.get::<_, Option<String>>(7),
        row.get::<_, Option<String>>(8),
        row.get::<_, Option<String>>(9),
    ) {
        (Some(s), Some(t), Some(c)) => Some((QualifiedName::new(s, t), c)),
        _ => None,
    };
    let data_type = row
        .get::<_, Option<String>>(10)
        .and_then(|t| DataType::try_parse(&t));
    found.schema.sequences.push(Sequence {
        name,
        data_type,
        increment: row.get(11),
        min_value: row.get(12),
        max_value: row.get(13),
        start: row.get(14),
        cache: row.get(15),
        cycle: row.get::<_, Option<bool>>(16).unwrap_or(false),
        owned_by,
        comment: row.get(4),
    });
}

/// Serial columns: an integer column whose default is `nextval` of a sequence it owns reads
/// back as `serial` (and the sequence is not listed), as it was declared.
pub(super) fn mark_serials(schema: &mut Schema, home: &str) {
    let mut owned = Vec::new();
    for (si, seq) in schema.sequences.iter().enumerate() {
        let Some((table, column)) = &seq.owned_by else {
            continue;
        };
        let Some(t) = schema.tables.iter().position(|t| &t.name == table) else {
            continue;
        };
        let Some(c) = schema.tables[t]
            .columns
            .iter()
            .position(|c| &c.name == column)
        else {
            continue;
        };
        let col = &schema.tables[t].columns[c];
        let expected = format!(
            "nextval({}::regclass)",
            schema_core::ident::quote_literal(&regclass_text(&seq.name, home))
        );
        let (serial, max) = match col.data_type.name.as_str() {
            "smallint" => ("smallserial", i64::from(i16::MAX)),
            "integer" => ("serial", i64::from(i32::MAX)),
            "bigint" => ("bigserial", i64::MAX),
            _ => continue,
        };
        let derived = schema_core::naming::make_object_name(&table.name, Some(column), Some("seq"));
        if col.default.as_deref() == Some(expected.as_str())
            && col.data_type.schema.is_none()
            && !col.data_type.array
            && seq.name.name == derived
            && seq.name.schema == table.schema
            && has_serial_options(seq, &col.data_type, max)
        {
            owned.push((si, t, c, serial));
        }
    }
    for &(_, t, c, serial) in &owned {
        let col = &mut schema.tables[t].columns[c];
        col.data_type = DataType::builtin(serial);
        col.default = None;
    }
    let mut drop: Vec<usize> = owned.iter().map(|o| o.0).collect();
    drop.sort_unstable();
    for si in drop.into_iter().rev() {
        schema.sequences.remove(si);
    }
}

/// True if `seq` has exactly the options `serial` gives the sequence of a column of type
/// `column_type` (whose maximum is `max`): `AS` the column's type, `INCREMENT 1`, `MINVALUE 1`,
/// `MAXVALUE` the type's maximum, `START 1`, `CACHE 1`, `NO CYCLE`. A sequence with other
/// options (`ALTER SEQUENCE ... MAXVALUE`, a `bigint` sequence behind an `integer` column as
/// pre-10 dumps make) is listed as a sequence of its own, or the options would be lost.
fn has_serial_options(seq: &Sequence, column_type: &DataType, max: i64) -> bool {
    seq.data_type.as_ref() == Some(column_type)
        && seq.increment == Some(1)
        && seq.min_value == Some(1)
        && seq.max_value == Some(max)
        && seq.start == Some(1)
        && seq.cache == Some(1)
        && !seq.cycle
}

/// A sequence's name as `regclass` prints it in a `nextval` default: qualified unless it is
/// in the home schema (on the search path), each part quoted as needed.
fn regclass_text(name: &QualifiedName, home: &str) -> String {
    use schema_core::ident::quote_ident;
    if name.schema == home {
        quote_ident(&name.name).into_owned()
    } else {
        format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name))
    }
}
