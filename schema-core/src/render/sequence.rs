//! Sequences: `CREATE SEQUENCE` and the options of `ALTER SEQUENCE`.

use std::fmt::{self, Display, Formatter, Write as _};

use crate::types::DataType;

use super::display::*;
use super::*;

/// One option of `ALTER SEQUENCE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SequenceOption {
    /// `AS type`.
    As(DataType),
    /// `INCREMENT BY n`.
    IncrementBy(i64),
    /// `MINVALUE n`, or `NO MINVALUE` for `None`.
    MinValue(Option<i64>),
    /// `MAXVALUE n`, or `NO MAXVALUE` for `None`.
    MaxValue(Option<i64>),
    /// `START WITH n`.
    StartWith(i64),
    /// `CACHE n`.
    Cache(i64),
    /// `CYCLE` / `NO CYCLE`.
    Cycle(bool),
    /// `OWNED BY table.column`, or `OWNED BY NONE` for `None`.
    OwnedBy(Option<(QualifiedName, String)>),
}

impl Display for SequenceOption {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            SequenceOption::As(ty) => write!(f, "AS {}", SqlType(ty)),
            SequenceOption::IncrementBy(n) => write!(f, "INCREMENT BY {n}"),
            SequenceOption::MinValue(Some(n)) => write!(f, "MINVALUE {n}"),
            SequenceOption::MinValue(None) => f.write_str("NO MINVALUE"),
            SequenceOption::MaxValue(Some(n)) => write!(f, "MAXVALUE {n}"),
            SequenceOption::MaxValue(None) => f.write_str("NO MAXVALUE"),
            SequenceOption::StartWith(n) => write!(f, "START WITH {n}"),
            SequenceOption::Cache(n) => write!(f, "CACHE {n}"),
            SequenceOption::Cycle(true) => f.write_str("CYCLE"),
            SequenceOption::Cycle(false) => f.write_str("NO CYCLE"),
            SequenceOption::OwnedBy(Some((table, column))) => {
                write!(f, "OWNED BY {table}.{}", Ident(column))
            }
            SequenceOption::OwnedBy(None) => f.write_str("OWNED BY NONE"),
        }
    }
}

pub(super) fn write_create_sequence(f: &mut Formatter<'_>, seq: &Sequence) -> fmt::Result {
    write!(f, "CREATE SEQUENCE IF NOT EXISTS {}", seq.name)?;
    if let Some(ty) = &seq.data_type {
        write!(f, " AS {}", SqlType(ty))?;
    }
    if let Some(n) = seq.increment {
        write!(f, " INCREMENT BY {n}")?;
    }
    if let Some(n) = seq.min_value {
        write!(f, " MINVALUE {n}")?;
    }
    if let Some(n) = seq.max_value {
        write!(f, " MAXVALUE {n}")?;
    }
    if let Some(n) = seq.start {
        write!(f, " START WITH {n}")?;
    }
    if let Some(n) = seq.cache {
        write!(f, " CACHE {n}")?;
    }
    if seq.cycle {
        f.write_str(" CYCLE")?;
    }
    f.write_char(';')
}
