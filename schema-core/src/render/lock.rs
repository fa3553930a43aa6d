//! `LOCK TABLE`, which a deployer runs before a plan to take every table lock up front.

use std::fmt::{self, Display, Formatter};

use crate::diff::LockLevel;
use crate::model::QualifiedName;

/// `LOCK TABLE name IN mode MODE [NOWAIT];`. Not `ONLY`: a partitioned table's partitions are
/// altered with it, so they are locked too, as PostgreSQL does by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockTable<'a> {
    /// The table.
    pub table: &'a QualifiedName,
    /// The mode; [`LockLevel::None`] prints the weakest table lock, `ACCESS SHARE`.
    pub mode: LockLevel,
    /// Fail at once (SQLSTATE 55P03) instead of waiting for `lock_timeout`.
    pub nowait: bool,
}

impl Display for LockTable<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mode = match self.mode {
            LockLevel::None => "ACCESS SHARE".to_string(),
            mode => mode.to_string(),
        };
        write!(f, "LOCK TABLE {} IN {mode} MODE", self.table)?;
        if self.nowait {
            f.write_str(" NOWAIT")?;
        }
        f.write_str(";")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_the_name_and_prints_the_mode() {
        let table = QualifiedName::new("Sales", "order items");
        let lock = LockTable {
            table: &table,
            mode: LockLevel::ShareRowExclusive,
            nowait: true,
        };
        assert_eq!(
            lock.to_string(),
            r#"LOCK TABLE "Sales"."order items" IN SHARE ROW EXCLUSIVE MODE NOWAIT;"#
        );
        let wait = LockTable {
            nowait: false,
            mode: LockLevel::AccessExclusive,
            ..lock
        };
        assert_eq!(
            wait.to_string(),
            r#"LOCK TABLE "Sales"."order items" IN ACCESS EXCLUSIVE MODE;"#
        );
    }
}
