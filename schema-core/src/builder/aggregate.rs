//! `CREATE AGGREGATE`: constructors for [`Aggregate`].

use crate::model::{Aggregate, QualifiedName};
use crate::types::DataType;

impl Aggregate {
    /// `CREATE AGGREGATE name(args) (SFUNC = sfunc, STYPE = stype)`.
    pub fn new(
        name: impl Into<QualifiedName>,
        args: impl IntoIterator<Item = DataType>,
        sfunc: impl Into<QualifiedName>,
        stype: DataType,
    ) -> Self {
        Aggregate {
            name: name.into(),
            args: args.into_iter().collect(),
            sfunc: sfunc.into(),
            stype,
            finalfunc: None,
            initcond: None,
            comment: None,
        }
    }

    /// `FINALFUNC = f`.
    pub fn finalfunc(mut self, function: impl Into<QualifiedName>) -> Self {
        self.finalfunc = Some(function.into());
        self
    }

    /// `INITCOND = 'text'`.
    pub fn initcond(mut self, text: impl Into<String>) -> Self {
        self.initcond = Some(text.into());
        self
    }

    /// `COMMENT ON AGGREGATE`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}
