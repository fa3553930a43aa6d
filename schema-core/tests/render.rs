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
        Statement::DropExtension("uuid-ossp"),
        Statement::AlterExtensionSchema {
            name: "pg_trgm",
            schema: "ext",
        },
        Statement::DropSchema("Audit"),
        Statement::AddEnumValue {
            name: &mood,
            value: "ok",
            position: EnumPosition::After("sad"),
        },
        Statement::AddEnumValue {
            name: &mood,
            value: "awful",
            position: EnumPosition::Before("sad"),
        },
        Statement::AddEnumValue {
            name: &mood,
            value: "it's",
            position: EnumPosition::Last,
        },
        Statement::RenameType {
            name: &mood,
            to: "mood_old",
        },
        Statement::DropType(&mood),
        Statement::AlterSequence {
            name: &seq,
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
        Statement::DropSequence(&seq),
        Statement::DropFunction(procedure),
        Statement::DropTable(name),
        Statement::RenameTable {
            from: name,
            to: "purchase orders",
        },
        Statement::RenameColumn {
            table: name,
            from: "qty",
            to: "quantity",
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::AddColumn(column),
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::DropColumn("code"),
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::AlterType {
                column,
                using: Some("org_id::uuid".into()),
                reset_collation: true,
            },
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::SetNotNull("qty"),
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::DropNotNull("qty"),
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::SetDefault("qty", "1 + 1 = 2"),
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::DropDefault("qty"),
        },
        Statement::AddIdentity {
            table: name,
            column: "id",
            identity: Identity::Always,
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::SetIdentity("id", Identity::ByDefault),
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::DropIdentity("id"),
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::DropExpression("total"),
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::DropConstraint("orders_qty_check"),
        },
        Statement::AlterTable {
            table: name,
            action: AlterTable::ValidateConstraint("orders_qty_check"),
        },
        Statement::AddConstraint {
            table: &lines.name,
            constraint: fk,
            mode: AddMode::NotValid,
        },
        Statement::AddConstraint {
            table: name,
            constraint: check,
            mode: AddMode::NotValid,
        },
        Statement::AddConstraint {
            table: name,
            constraint: pk,
            mode: AddMode::UsingIndex,
        },
        Statement::CreateIndex {
            table: name,
            index,
            concurrently: true,
        },
        Statement::DropIndex {
            schema: "public",
            name: "orders_idx",
            concurrently: true,
        },
        Statement::DropView(name),
        Statement::DropTrigger {
            table: name,
            name: "orders_touch",
        },
        Statement::Comment {
            target: CommentTarget::Function(procedure),
            text: None,
        },
        Statement::Comment {
            target: CommentTarget::Index(name, "orders_idx"),
            text: Some("back\\slash"),
        },
    ];
    let mut out = String::new();
    for s in &statements {
        out.push_str(&format!("{s}\n{s:#}\n\n"));
    }
    insta::assert_snapshot!(out);
}
