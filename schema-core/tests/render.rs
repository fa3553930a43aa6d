//! `create_sql()` per feature, as reviewed snapshots, and the properties every script has:
//! one top-level statement per model statement whatever the names hold, and only idempotent
//! statement forms.

mod common;

use schema_core::render::{
    AddMode, AlterTable, CommentTarget, EnumPosition, SequenceOption, Statement,
};
use schema_core::*;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

macro_rules! feature {
    ($name:ident) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(common::$name().create_sql());
        }
    };
}

feature!(extensions);
feature!(schemas);
feature!(enums);
feature!(sequences);
feature!(columns);
feature!(constraints);
feature!(indexes);
feature!(functions);
feature!(triggers);
feature!(views);
feature!(comments);
feature!(hostile);
feature!(partitions);
feature!(domains);
feature!(composite_types);
feature!(range_types);
feature!(hostile_types);
feature!(materialized_views);
feature!(policies);
feature!(sql_functions);

/// The top-level `;` of a script, as PostgreSQL's lexer sees them (not those inside quoted
/// identifiers, string literals or dollar quotes).
fn top_level_statements(sql: &str) -> usize {
    Tokenizer::new(&PostgreSqlDialect {}, sql)
        .tokenize()
        .expect("the script tokenizes")
        .iter()
        .filter(|t| matches!(t, Token::SemiColon))
        .count()
}

#[test]
fn hostile_names_cannot_add_statements() {
    for schema in [common::hostile(), common::every_feature()] {
        let statements = schema.create_statements().len();
        assert_eq!(top_level_statements(&schema.create_sql()), statements);
        // Compact printing too.
        let compact: String = schema
            .create_statements()
            .iter()
            .map(|s| format!("{s}\n"))
            .collect();
        assert_eq!(top_level_statements(&compact), statements);
    }
}

#[test]
fn every_statement_is_idempotent() {
    const FORMS: &[&str] = &[
        "SET check_function_bodies = false;",
        "RESET check_function_bodies;",
        "CREATE SCHEMA IF NOT EXISTS ",
        "CREATE EXTENSION IF NOT EXISTS ",
        "DO $",
        "CREATE SEQUENCE IF NOT EXISTS ",
        "ALTER SEQUENCE ",
        "CREATE OR REPLACE FUNCTION ",
        "CREATE OR REPLACE PROCEDURE ",
        "CREATE TABLE IF NOT EXISTS ",
        "CREATE INDEX IF NOT EXISTS ",
        "CREATE UNIQUE INDEX IF NOT EXISTS ",
        "CREATE OR REPLACE VIEW ",
        "CREATE MATERIALIZED VIEW IF NOT EXISTS ",
        "CREATE OR REPLACE AGGREGATE ",
        "CREATE OR REPLACE TRIGGER ",
        "COMMENT ON ",
    ];
    for s in common::every_feature().create_statements() {
        let text = s.to_string();
        assert!(
            FORMS.iter().any(|f| text.starts_with(f)),
            "not an idempotent form: {text}"
        );
    }
}

/// Every statement the diff uses, compact (`{}`) and pretty (`{:#}`).
#[test]
fn statements_compact_and_pretty() {
    let schema = common::constraints();
    let orders = schema.table(&QualifiedName::public("orders")).unwrap();
    let lines = schema.table(&QualifiedName::public("order_lines")).unwrap();
    let fk = &lines.constraints[2];
    let pk = &orders.constraints[0];
    let check = orders.constraints.last().unwrap();
    let column = &orders.columns[1];
    let index = &common::indexes().tables[0].indexes[2];
    let functions = common::functions();
    let procedure = functions.functions.last().unwrap();
    let name = &orders.name;
    let seq = QualifiedName::public("invoice_numbers");
    let mood = QualifiedName::public("mood");
    let statements = vec![
        Statement::DropExtension("uuid-ossp".into()),
        Statement::AlterExtensionSchema {
            name: "pg_trgm".into(),
            schema: "ext".into(),
        },
        Statement::DropSchema("Audit".into()),
        Statement::AddEnumValue {
            name: mood.clone(),
            value: "ok".into(),
            position: EnumPosition::After("sad".into()),
        },
        Statement::AddEnumValue {
            name: mood.clone(),
            value: "awful".into(),
            position: EnumPosition::Before("sad".into()),
        },
        Statement::AddEnumValue {
            name: mood.clone(),
            value: "it's".into(),
            position: EnumPosition::Last,
        },
        Statement::RenameType {
            name: mood.clone(),
            to: "mood_old".into(),
        },
        Statement::DropType(mood.clone()),
        Statement::AlterSequence {
            name: seq.clone(),
            options: vec![
                SequenceOption::As(DataType::builtin("integer")),
                SequenceOption::IncrementBy(2),
                SequenceOption::MinValue(None),
                SequenceOption::MaxValue(Some(10)),
                SequenceOption::StartWith(3),
                SequenceOption::Cache(5),
                SequenceOption::Cycle(false),
                SequenceOption::OwnedBy(None),
            ],
        },
        Statement::DropSequence(seq.clone()),
        Statement::DropFunction(Box::new(procedure.clone())),
        Statement::DropTable(name.clone()),
        Statement::RenameTable {
            from: name.clone(),
            to: "purchase orders".into(),
        },
        Statement::RenameColumn {
            table: name.clone(),
            from: "qty".into(),
            to: "quantity".into(),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::AddColumn(Box::new(column.clone())),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::DropColumn("code".into()),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::AlterType {
                column: Box::new(column.clone()),
                using: Some("org_id::uuid".into()),
                reset_collation: true,
            },
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::SetNotNull("qty".into()),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::DropNotNull("qty".into()),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::SetDefault("qty".into(), "1 + 1 = 2".into()),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::DropDefault("qty".into()),
        },
        Statement::AddIdentity {
            table: name.clone(),
            column: "id".into(),
            identity: Identity::Always,
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::SetIdentity("id".into(), Identity::ByDefault),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::DropIdentity("id".into()),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::DropExpression("total".into()),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::DropConstraint("orders_qty_check".into()),
        },
        Statement::AlterTable {
            table: name.clone(),
            action: AlterTable::ValidateConstraint("orders_qty_check".into()),
        },
        Statement::AddConstraint {
            table: lines.name.clone(),
            constraint: Box::new(fk.clone()),
            mode: AddMode::NotValid,
        },
        Statement::AddConstraint {
            table: name.clone(),
            constraint: Box::new(check.clone()),
            mode: AddMode::NotValid,
        },
        Statement::AddConstraint {
            table: name.clone(),
            constraint: Box::new(pk.clone()),
            mode: AddMode::UsingIndex,
        },
        Statement::CreateIndex {
            table: name.clone(),
            index: Box::new(index.clone()),
            concurrently: true,
        },
        Statement::DropIndex {
            schema: "public".into(),
            name: "orders_idx".into(),
            concurrently: true,
        },
        Statement::DropView(name.clone()),
        Statement::DropTrigger {
            table: name.clone(),
            name: "orders_touch".into(),
        },
        Statement::Comment {
            target: CommentTarget::Function(Box::new(procedure.clone())),
            text: None,
        },
        Statement::Comment {
            target: CommentTarget::Index(name.clone(), "orders_idx".into()),
            text: Some("back\\slash".into()),
        },
    ];
    let mut out = String::new();
    for s in &statements {
        out.push_str(&format!("{s}\n{s:#}\n\n"));
    }
    insta::assert_snapshot!(out);
}
