//! Storage parameters (`WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01)`) of
//! tables and indexes, as `pg_class.reloptions` holds them.

use serde::{Deserialize, Serialize};

/// One storage parameter: `name = value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageParameter {
    /// Its name, lower case (`fillfactor`, `toast.autovacuum_enabled`).
    pub name: String,
    /// Its value as PostgreSQL stores it (`70`, `0.01`, `false`).
    pub value: String,
}

impl StorageParameter {
    /// `name = value` (the name is folded to lower case, as PostgreSQL folds it).
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        StorageParameter {
            name: name.into().to_lowercase(),
            value: value.into(),
        }
    }

    /// A `pg_class.reloptions` entry, `name=value`.
    pub fn from_reloption(option: &str) -> Self {
        let (name, value) = option.split_once('=').unwrap_or((option, ""));
        StorageParameter::new(name, value)
    }
}

/// The parameters `old` and `new` disagree on, as PostgreSQL compares them (by name, in any
/// order, values without regard to case): those to set (new or changed) and the names to reset
/// (gone).
pub fn storage_changes(
    old: &[StorageParameter],
    new: &[StorageParameter],
) -> (Vec<StorageParameter>, Vec<String>) {
    let find = |list: &[StorageParameter], name: &str| {
        list.iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.to_lowercase())
    };
    let set = new
        .iter()
        .filter(|p| find(old, &p.name) != Some(p.value.to_lowercase()))
        .cloned()
        .collect();
    let reset = old
        .iter()
        .filter(|p| find(new, &p.name).is_none())
        .map(|p| p.name.clone())
        .collect();
    (set, reset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compared_by_name_in_any_order_and_case() {
        let old = [
            StorageParameter::from_reloption("fillfactor=70"),
            StorageParameter::from_reloption("autovacuum_enabled=FALSE"),
            StorageParameter::from_reloption("toast.autovacuum_enabled=false"),
        ];
        let new = [
            StorageParameter::new("Autovacuum_Enabled", "false"),
            StorageParameter::new("fillfactor", "80"),
            StorageParameter::new("parallel_workers", "2"),
        ];
        let (set, reset) = storage_changes(&old, &new);
        assert_eq!(
            set,
            [
                StorageParameter::new("fillfactor", "80"),
                StorageParameter::new("parallel_workers", "2"),
            ]
        );
        assert_eq!(reset, ["toast.autovacuum_enabled"]);
        assert_eq!(storage_changes(&new, &new), (vec![], vec![]));
    }
}
