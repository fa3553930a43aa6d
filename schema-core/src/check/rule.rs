//! The stable codes of the checks: every [`Diagnostic`](super::Diagnostic) carries one [`Rule`],
//! and this file is the only place that spells a code out.

use std::fmt;

/// Declares [`Rule`] from one table, so a variant, its code and its description cannot drift
/// apart.
macro_rules! rules {
    ($($variant:ident = $code:literal: $description:literal,)*) => {
        /// What a [`Diagnostic`](super::Diagnostic) is about. The kebab-case [`code`](Rule::code)
        /// is stable: the macro prints it after each compile error and users search for it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Rule {
            $(
                #[doc = $description]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in declaration order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable kebab-case code, e.g. `fk-target-missing`.
            pub fn code(self) -> &'static str {
                match self {
                    $(Rule::$variant => $code,)*
                }
            }

            /// The rule a code names, if any.
            pub fn from_code(code: &str) -> Option<Rule> {
                match code {
                    $($code => Some(Rule::$variant),)*
                    _ => None,
                }
            }

            /// One line saying what the rule rejects.
            pub fn description(self) -> &'static str {
                match self {
                    $(Rule::$variant => $description,)*
                }
            }
        }
    };
}

rules! {
    NameInvalid = "name-invalid": "A name is empty or contains a NUL character.",
    NameTooLong = "name-too-long": "A name is over PostgreSQL's 63-byte identifier limit.",
    DuplicateSchema = "duplicate-schema": "A schema is declared twice.",
    DuplicateExtension = "duplicate-extension": "An extension is declared twice.",
    DuplicateType = "duplicate-type":
        "A type's name is taken by another type or by a table's or view's row type.",
    DuplicateEnumLabel = "duplicate-enum-label": "An enum lists a label twice.",
    DuplicateAttribute = "duplicate-attribute": "A composite type lists an attribute twice.",
    DuplicateRelation = "duplicate-relation":
        "Two tables, views, sequences or indexes share a name in one schema.",
    DuplicateColumn = "duplicate-column": "A table declares a column twice.",
    DuplicateConstraint = "duplicate-constraint":
        "A table or domain declares two constraints of one name.",
    DuplicateFunction = "duplicate-function":
        "Two functions have the same name and input argument types.",
    DuplicateTrigger = "duplicate-trigger": "A table has two triggers of one name.",
    DuplicatePolicy = "duplicate-policy": "A table has two policies of one name.",
    DuplicateRowSecurity = "duplicate-row-security":
        "Row-level security is declared twice for one table.",
    SchemaMissing = "schema-missing": "An object is in a schema that is not declared.",
    TypeUnknown = "type-unknown":
        "A type is neither built in, a declared enum, domain, composite or range type, nor an extension's.",
    ExtensionMissing = "extension-missing": "A type comes from an extension that is not declared.",
    ColumnPseudoType = "column-pseudo-type":
        "A column has a pseudo-type such as `trigger` or `void`.",
    SequenceTypeInvalid = "sequence-type-invalid":
        "A sequence is of a type other than `smallint`, `integer` or `bigint`.",
    SequenceOwnerMissing = "sequence-owner-missing":
        "A sequence is owned by a table or column that does not exist.",
    PrimaryKeyDuplicate = "primary-key-duplicate": "A table has more than one primary key.",
    ColumnMissing = "column-missing":
        "A constraint, index or trigger names a column its table does not have.",
    ExpressionColumnMissing = "expression-column-missing":
        "An expression refers to a column its table does not have.",
    NullsNotDistinctNonUnique = "nulls-not-distinct-non-unique":
        "A non-unique index has `nulls not distinct`.",
    FkTargetMissing = "fk-target-missing": "A foreign key references a table that is not declared.",
    FkTargetNoPrimaryKey = "fk-target-no-primary-key":
        "A foreign key names no columns and its target has no primary key.",
    FkTargetColumnMissing = "fk-target-column-missing":
        "A foreign key references a column its target does not have.",
    FkColumnCount = "fk-column-count":
        "A foreign key has a different number of columns on its two sides.",
    FkTypeMismatch = "fk-type-mismatch":
        "A foreign key column cannot be compared with the column it references.",
    FkTargetNotUnique = "fk-target-not-unique":
        "A foreign key references columns no primary key or unique constraint covers.",
    IdentityNotInteger = "identity-not-integer": "An identity column is not of an integer type.",
    IdentityWithDefault = "identity-with-default": "An identity column also has a default.",
    GeneratedWithDefault = "generated-with-default": "A generated column also has a default.",
    GeneratedWithIdentity = "generated-with-identity":
        "A column is both generated and an identity.",
    SerialWithDefault = "serial-with-default":
        "A serial column also has a default or a generation expression.",
    ExpressionInvalid = "expression-invalid": "An SQL expression does not parse.",
    GeneratedReferencesGenerated = "generated-references-generated":
        "A generated column refers to another generated column.",
    DefaultReferencesColumn = "default-references-column": "A default refers to a column.",
    DomainColumnReference = "domain-column-reference":
        "A domain's check refers to a name other than `VALUE`, or its default to a column.",
    EnumDefaultInvalid = "enum-default-invalid":
        "An enum column's default is not one of the enum's labels.",
    FunctionBodyEmpty = "function-body-empty": "A function or procedure has an empty body.",
    FunctionBodyDollarQuote = "function-body-dollar-quote":
        "A function body opens a dollar quote and never closes it.",
    FunctionSqlBody = "function-sql-body":
        "An SQL-standard body (`return`, `begin atomic`) is not `language sql`, or does not parse.",
    TriggerTableMissing = "trigger-table-missing":
        "A trigger fires on a table or view that is not declared.",
    TriggerInsteadOfTable = "trigger-instead-of-table":
        "An `instead of` trigger is on a table rather than a view.",
    TriggerFunctionMissing = "trigger-function-missing":
        "A trigger executes a function that is not declared.",
    TriggerFunctionNotTrigger = "trigger-function-not-trigger":
        "A trigger executes a function that does not return `trigger`.",
    TriggerInvalid = "trigger-invalid":
        "A trigger has a form PostgreSQL rejects (a constraint trigger not `after ... for each row`, a transition table PostgreSQL does not allow there).",
    PolicyTableMissing = "policy-table-missing":
        "A policy or row-level security names a table that is not declared.",
    PolicyClauseNotAllowed = "policy-clause-not-allowed":
        "A policy has a clause its command ignores (`with check` on `select` or `delete`, `using` on `insert`).",
    GrantObjectMissing = "grant-object-missing":
        "A grant or default privileges name an object or schema that is not declared.",
    GrantPrivilegeInvalid = "grant-privilege-invalid":
        "A grant names a privilege its kind of object does not have (`execute` on a table).",
    GrantColumnMissing = "grant-column-missing":
        "A column grant names a column its table does not have.",
    RevokeNotDefault = "revoke-not-default":
        "A revoke takes away a privilege PostgreSQL does not grant by default (anything not granted is revoked already).",
    ViewQueryInvalid = "view-query-invalid":
        "A view's query is not one valid `SELECT`, `VALUES` or `WITH` query.",
    IndexOnView = "index-on-view": "A view that is not materialized has indexes.",
    ViewColumnMissing = "view-column-missing":
        "An index on a materialized view names a column the view does not have.",
    ViewRelationMissing = "view-relation-missing":
        "A materialized view reads a table or view that is not declared.",
    PartitionParentMissing = "partition-parent-missing":
        "A partition's parent is not a declared table (or its partition tree has no root).",
    PartitionParentNotPartitioned = "partition-parent-not-partitioned":
        "A table is declared a partition of a table that has no `partition by`.",
    PartitionKeyInvalid = "partition-key-invalid":
        "A partition key is empty, does not parse, or lists several keys for `list`.",
    PartitionKeyColumnMissing = "partition-key-column-missing":
        "A partition key names a column its table does not have.",
    PartitionBoundMismatch = "partition-bound-mismatch":
        "A partition's bound is not of the form its parent's strategy takes.",
    PartitionBoundInvalid = "partition-bound-invalid":
        "A partition bound holds no rows, or a value PostgreSQL does not take there.",
    PartitionBoundOverlap = "partition-bound-overlap":
        "Two partitions of one table hold the same rows (or hash moduli that do not divide each other).",
    PartitionUniqueKey = "partition-unique-key":
        "A primary key or unique constraint of a partitioned table misses a partition key column.",
    UnloggedInvalid = "unlogged-invalid":
        "A partitioned table is unlogged, or a permanent table's foreign key references an unlogged table.",
    StorageOnPartitioned = "storage-on-partitioned":
        "A partitioned table has storage parameters (PostgreSQL takes them on its partitions).",
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Lets callers that compared [`Diagnostic::code`](super::Diagnostic::code) with the code text
/// before it was a [`Rule`] keep doing so.
impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

/// The same comparison with the text on the left.
impl PartialEq<Rule> for &str {
    fn eq(&self, other: &Rule) -> bool {
        *self == other.code()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::Rule;

    #[test]
    fn codes_are_unique_kebab_case_and_round_trip() {
        let mut seen = HashSet::new();
        for &rule in Rule::ALL {
            let code = rule.code();
            assert!(seen.insert(code), "`{code}` is used twice");
            let kebab = !code.is_empty()
                && code
                    .split('-')
                    .all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase()));
            assert!(kebab, "`{code}` is not kebab-case");
            assert_eq!(Rule::from_code(code), Some(rule));
            assert_eq!(rule.to_string(), code);
            assert!(rule.description().ends_with('.'), "{rule:?}");
        }
        assert_eq!(Rule::ALL.len(), 68);
        assert_eq!(Rule::from_code("no-such-rule"), None);
        assert_eq!(Rule::FkTargetMissing, "fk-target-missing");
        assert_eq!("fk-target-missing", Rule::FkTargetMissing);
    }
}
