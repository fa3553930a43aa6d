//! Printing a model as `schema!` source: what `pgdecl inspect` prints, so a live database can
//! be adopted by pasting its declaration into the application (and the round-trip test can
//! compile it back).

use std::fmt::Write;

use schema_core::model::*;
use schema_core::DataType;

use schema_core::grammar::TABLE_ELEMENT_KEYWORDS as ELEMENT_KEYWORDS;

/// `name` as the grammar takes it: a Rust identifier when it is one, else a string literal.
pub fn name(n: &str) -> String {
    let ident_like = n
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && n != "_"
        && !matches!(n, "self" | "Self" | "super" | "crate");
    if ident_like && !ELEMENT_KEYWORDS.contains(&n) {
        n.to_string()
    } else {
        string(n)
    }
}

/// A Rust string literal holding `s` exactly: a raw string when it has quotes or backslashes.
pub fn string(s: &str) -> String {
    if !s.contains('"') && !s.contains('\\') {
        return format!("\"{s}\"");
    }
    let mut hashes = 1;
    while s.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let h = "#".repeat(hashes);
    format!("r{h}\"{s}\"{h}")
}

fn qualified(n: &QualifiedName) -> String {
    if n.schema == DEFAULT_SCHEMA {
        name(&n.name)
    } else {
        format!("{}.{}", name(&n.schema), name(&n.name))
    }
}

fn data_type(t: &DataType) -> String {
    match &t.schema {
        Some(s) => {
            let mut out = qualified(&QualifiedName::new(s.clone(), t.name.clone()));
            if !t.modifiers.is_empty() {
                let mods: Vec<String> = t.modifiers.iter().map(i32::to_string).collect();
                out.push_str(&format!("({})", mods.join(", ")));
            }
            if t.array {
                out.push_str("[]");
            }
            out
        }
        None => t.to_string(),
    }
}

fn doc(out: &mut String, indent: &str, comment: &Option<String>) {
    if let Some(c) = comment {
        for line in c.lines() {
            let _ = writeln!(out, "{indent}/// {line}");
        }
        if c.is_empty() {
            let _ = writeln!(out, "{indent}///");
        }
    }
}

fn list(items: &[String]) -> String {
    items.iter().map(|c| name(c)).collect::<Vec<_>>().join(", ")
}

fn deferral(out: &mut String, c: &Constraint) {
    if c.deferrable {
        out.push_str(" deferrable");
        if c.initially_deferred {
            out.push_str(" initially deferred");
        }
    }
}

fn fk_actions(out: &mut String, on_delete: FkAction, on_update: FkAction) {
    for (word, action) in [("delete", on_delete), ("update", on_update)] {
        if action != FkAction::NoAction {
            let _ = write!(out, " on {word} {}", action.sql().to_lowercase());
        }
    }
}

/// The whole schema as the body of a `pgdecl::schema! { ... }` invocation.
pub fn to_schema_source(schema: &Schema) -> String {
    let mut out = String::from("pgdecl::schema! {\n");
    let i = "    ";
    for e in &schema.extensions {
        doc(&mut out, i, &e.comment);
        let _ = write!(out, "{i}extension {}", name(&e.name));
        if let Some(s) = &e.schema {
            let _ = write!(out, " schema {}", name(s));
        }
        out.push_str(";\n");
    }
    for n in &schema.schemas {
        doc(&mut out, i, &n.comment);
        let _ = writeln!(out, "{i}schema {};", name(&n.name));
    }
    for e in &schema.enums {
        doc(&mut out, i, &e.comment);
        let values: Vec<String> = e.values.iter().map(|v| string(v)).collect();
        let _ = writeln!(
            out,
            "{i}enum {} {{ {} }}",
            qualified(&e.name),
            values.join(", ")
        );
    }
    for d in &schema.domains {
        domain(&mut out, d);
    }
    for r in &schema.ranges {
        range(&mut out, r);
    }
    for c in &schema.composites {
        composite(&mut out, c);
    }
    for s in &schema.sequences {
        doc(&mut out, i, &s.comment);
        let _ = write!(out, "{i}sequence {}", qualified(&s.name));
        if let Some(t) = &s.data_type {
            let _ = write!(out, " as {}", data_type(t));
        }
        for (word, v) in [
            ("increment", s.increment),
            ("minvalue", s.min_value),
            ("maxvalue", s.max_value),
            ("start", s.start),
            ("cache", s.cache),
        ] {
            if let Some(v) = v {
                let _ = write!(out, " {word} {v}");
            }
        }
        if s.cycle {
            out.push_str(" cycle");
        }
        if let Some((t, c)) = &s.owned_by {
            let _ = write!(out, " owned by {}.{}", qualified(t), name(c));
        }
        out.push_str(";\n");
    }
    for f in &schema.functions {
        out.push('\n');
        doc(&mut out, i, &f.comment);
        let kw = if f.is_procedure {
            "procedure"
        } else {
            "function"
        };
        let args: Vec<String> = f
            .args
            .iter()
            .map(|a| {
                let mut s = String::new();
                if a.mode != ArgMode::In {
                    s.push_str(&a.mode.sql().to_lowercase());
                    s.push(' ');
                }
                if let Some(n) = &a.name {
                    s.push_str(&name(n));
                    s.push(' ');
                }
                s.push_str(&data_type(&a.data_type));
                if let Some(d) = &a.default {
                    let _ = write!(s, " default {}", string(d));
                }
                s
            })
            .collect();
        let _ = write!(out, "{i}{kw} {}({})", qualified(&f.name), args.join(", "));
        match &f.returns {
            Some(Returns::Type(t)) => {
                let _ = write!(out, " returns {}", data_type(t));
            }
            Some(Returns::SetOf(t)) => {
                let _ = write!(out, " returns setof {}", data_type(t));
            }
            Some(Returns::Table(cols)) => {
                let cols: Vec<String> = cols
                    .iter()
                    .map(|(n, t)| format!("{} {}", name(n), data_type(t)))
                    .collect();
                let _ = write!(out, " returns table ({})", cols.join(", "));
            }
            None => {}
        }
        let _ = write!(out, " language {}", name(&f.language));
        if f.volatility != Volatility::Volatile {
            let _ = write!(out, " {}", f.volatility.sql().to_lowercase());
        }
        if f.strict {
            out.push_str(" strict");
        }
        if f.security_definer {
            out.push_str(" security definer");
        }
        for (k, v) in &f.config {
            let _ = write!(out, " set {} = {}", name(k), string(v));
        }
        let clause = match f.body_style {
            BodyStyle::Quoted => "as",
            BodyStyle::Return => "return",
            BodyStyle::Atomic => "begin atomic",
        };
        let _ = writeln!(out, " {clause} {};", string(&f.body));
    }
    for a in &schema.aggregates {
        out.push('\n');
        doc(&mut out, i, &a.comment);
        let args: Vec<String> = a.args.iter().map(data_type).collect();
        // A built-in state or final function is written bare (the macro looks it up there).
        let function = |f: &QualifiedName| {
            if f.schema == "pg_catalog" {
                name(&f.name)
            } else {
                qualified(f)
            }
        };
        let _ = write!(
            out,
            "{i}aggregate {}({}) (sfunc = {}, stype = {}",
            qualified(&a.name),
            args.join(", "),
            function(&a.sfunc),
            data_type(&a.stype)
        );
        if let Some(f) = &a.finalfunc {
            let _ = write!(out, ", finalfunc = {}", function(f));
        }
        if let Some(c) = &a.initcond {
            let _ = write!(out, ", initcond = {}", string(c));
        }
        out.push_str(");\n");
    }
    for t in &schema.tables {
        out.push('\n');
        table(&mut out, t);
    }
    for v in &schema.views {
        out.push('\n');
        doc(&mut out, i, &v.comment);
        let kw = if v.materialized {
            "materialized view"
        } else {
            "view"
        };
        let _ = write!(out, "{i}{kw} {}", qualified(&v.name));
        if !v.columns.is_empty() {
            let _ = write!(out, " ({})", list(&v.columns));
        }
        let _ = write!(out, " as {}", string(v.query.trim().trim_end_matches(';')));
        if v.materialized && !v.with_data {
            out.push_str(" with no data");
        }
        if v.indexes.is_empty() {
            out.push_str(";\n");
        } else {
            out.push_str(" {\n");
            let ii = format!("{i}    ");
            for ix in &v.indexes {
                index(&mut out, &ii, ix);
            }
            let _ = writeln!(out, "{i}}}");
        }
    }
    for t in &schema.triggers {
        out.push('\n');
        doc(&mut out, i, &t.comment);
        let events: Vec<String> = t
            .events
            .iter()
            .map(|e| match e {
                TriggerEvent::Insert => "insert".to_string(),
                TriggerEvent::Delete => "delete".to_string(),
                TriggerEvent::Truncate => "truncate".to_string(),
                TriggerEvent::Update(cols) if cols.is_empty() => "update".to_string(),
                TriggerEvent::Update(cols) => format!("update of {}", list(cols)),
            })
            .collect();
        let _ = write!(
            out,
            "{i}{}trigger {} {} {} on {}",
            if t.constraint.is_some() {
                "constraint "
            } else {
                ""
            },
            name(&t.name),
            t.timing.sql().to_lowercase(),
            events.join(" or "),
            qualified(&t.table),
        );
        if let Some(timing) = t.constraint {
            let _ = write!(out, " {}", timing.sql().to_lowercase());
        }
        if t.old_table.is_some() || t.new_table.is_some() {
            out.push_str(" referencing");
            if let Some(old) = &t.old_table {
                let _ = write!(out, " old table as {}", name(old));
            }
            if let Some(new) = &t.new_table {
                let _ = write!(out, " new table as {}", name(new));
            }
        }
        let _ = write!(
            out,
            " for each {}",
            if t.for_each_row { "row" } else { "statement" }
        );
        if let Some(w) = &t.when {
            let _ = write!(out, " when {}", string(w));
        }
        let args: Vec<String> = t.args.iter().map(|a| string(a)).collect();
        let _ = writeln!(
            out,
            " execute function {}({});",
            qualified(&t.function),
            args.join(", ")
        );
    }
    row_security(&mut out, schema);
    grants(&mut out, schema);
    out.push_str("}\n");
    out
}

/// `row level security on ...;` and `policy ...;` items.
fn row_security(out: &mut String, schema: &Schema) {
    let i = "    ";
    if !schema.row_security.is_empty() {
        out.push('\n');
    }
    for r in &schema.row_security {
        let force = if r.force { " force" } else { "" };
        let _ = writeln!(
            out,
            "{i}row level security on {}{force};",
            qualified(&r.table)
        );
    }
    for p in &schema.policies {
        out.push('\n');
        doc(out, i, &p.comment);
        let _ = write!(
            out,
            "{i}policy {} on {}",
            name(&p.name),
            qualified(&p.table)
        );
        if !p.permissive {
            out.push_str(" as restrictive");
        }
        if p.command != PolicyCommand::All {
            let _ = write!(out, " for {}", p.command.sql().to_lowercase());
        }
        if !p.is_public() {
            let roles: Vec<String> = p.role_set().iter().map(|r| name(r)).collect();
            let _ = write!(out, " to {}", roles.join(", "));
        }
        if let Some(u) = &p.using {
            let _ = write!(out, " using {}", string(u));
        }
        if let Some(c) = &p.with_check {
            let _ = write!(out, " with check {}", string(c));
        }
        out.push_str(";\n");
    }
}

/// `grant ...;`, `revoke ...;` and `default privileges ...;` items.
fn grants(out: &mut String, schema: &Schema) {
    let i = "    ";
    if !schema.grants.is_empty() || !schema.default_privileges.is_empty() {
        out.push('\n');
    }
    let roles = |list: &[String]| list.iter().map(|r| name(r)).collect::<Vec<_>>().join(", ");
    for g in &schema.grants {
        let columns = if g.columns.is_empty() {
            String::new()
        } else {
            let cols: Vec<String> = g.columns.iter().map(|c| name(c)).collect();
            format!(" ({})", cols.join(", "))
        };
        let privileges: Vec<String> = g
            .privileges
            .iter()
            .map(|p| format!("{}{columns}", p.sql().to_lowercase()))
            .collect();
        let object = match &g.object {
            GrantObject::Schema(s) => format!("schema {}", name(s)),
            GrantObject::Table(n) => format!("table {}", qualified(n)),
            GrantObject::Sequence(n) => format!("sequence {}", qualified(n)),
            GrantObject::Function { name: n, args } => {
                let args: Vec<String> = args
                    .iter()
                    .map(|a| DataType::parse(a).map_or_else(|_| a.clone(), |t| data_type(&t)))
                    .collect();
                format!("function {}({})", qualified(n), args.join(", "))
            }
            GrantObject::Type(n) => format!("type {}", qualified(n)),
        };
        let (verb, to) = if g.revoke {
            ("revoke", "from")
        } else {
            ("grant", "to")
        };
        let option = if g.with_grant_option {
            " with grant option"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{i}{verb} {} on {object} {to} {}{option};",
            privileges.join(", "),
            roles(&g.roles)
        );
    }
    for d in &schema.default_privileges {
        let for_role = d
            .for_role
            .as_ref()
            .map(|r| format!(" for role {}", name(r)))
            .unwrap_or_default();
        let privileges: Vec<&str> = d.privileges.iter().map(|p| p.sql()).collect();
        let _ = writeln!(
            out,
            "{i}default privileges{for_role} in schema {} grant {} on {} to {}{};",
            name(&d.schema),
            privileges.join(", ").to_lowercase(),
            d.on.sql().to_lowercase(),
            roles(&d.roles),
            if d.with_grant_option {
                " with grant option"
            } else {
                ""
            }
        );
    }
}

fn domain(out: &mut String, d: &Domain) {
    let i = "    ";
    doc(out, i, &d.comment);
    let _ = write!(
        out,
        "{i}domain {} as {}",
        qualified(&d.name),
        data_type(&d.data_type)
    );
    if let Some(coll) = &d.collation {
        let _ = write!(out, " collate {}", string(coll));
    }
    if d.not_null {
        out.push_str(" not null");
    }
    if let Some(default) = &d.default {
        let _ = write!(out, " default {}", string(default));
    }
    for c in &d.checks {
        let _ = write!(
            out,
            " constraint {} check {}",
            name(&c.name),
            string(&c.expr)
        );
    }
    out.push_str(";\n");
}

fn range(out: &mut String, r: &RangeType) {
    let i = "    ";
    doc(out, i, &r.comment);
    let mut options = vec![format!("subtype = {}", data_type(&r.subtype))];
    if let Some(op) = &r.subtype_opclass {
        options.push(format!("subtype_opclass = {}", name(op)));
    }
    if let Some(coll) = &r.collation {
        options.push(format!("collation = {}", string(coll)));
    }
    if let Some(diff) = &r.subtype_diff {
        options.push(format!("subtype_diff = {}", sql_name(diff)));
    }
    if let Some(m) = &r.multirange_type_name {
        // Unqualified, the grammar puts it in the range's schema.
        let m = if m.schema == r.name.schema {
            name(&m.name)
        } else {
            format!("{}.{}", name(&m.schema), name(&m.name))
        };
        options.push(format!("multirange_type_name = {m}"));
    }
    let _ = writeln!(
        out,
        "{i}type {} as range ({});",
        qualified(&r.name),
        options.join(", ")
    );
}

fn composite(out: &mut String, c: &CompositeType) {
    let i = "    ";
    let ii = "        ";
    doc(out, i, &c.comment);
    let _ = writeln!(out, "{i}type {} as (", qualified(&c.name));
    for a in &c.attributes {
        doc(out, ii, &a.comment);
        let _ = write!(out, "{ii}{} {}", name(&a.name), data_type(&a.data_type));
        if let Some(coll) = &a.collation {
            let _ = write!(out, " collate {}", string(coll));
        }
        out.push_str(",\n");
    }
    let _ = writeln!(out, "{i});");
}

/// A function name as SQL prints it (`float8mi`, `audit."Diff"`) in the grammar's spelling:
/// each part a name, unquoted. A text that is not a plain name goes as one string literal.
fn sql_name(text: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = text.trim();
    loop {
        let (part, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = None;
            while let Some((at, c)) = chars.next() {
                if c != '"' {
                    value.push(c);
                } else if matches!(chars.peek(), Some((_, '"'))) {
                    value.push('"');
                    chars.next();
                } else {
                    end = Some(at + 1);
                    break;
                }
            }
            match end {
                Some(end) => (value, &quoted[end..]),
                None => return string(text),
            }
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        parts.push(name(&part));
        match after.strip_prefix('.') {
            Some(next) => rest = next,
            None if after.is_empty() => break,
            None => return string(text),
        }
    }
    parts.join(".")
}

fn table(out: &mut String, t: &Table) {
    let i = "    ";
    let ii = "        ";
    doc(out, i, &t.comment);
    let unlogged = if t.unlogged { "unlogged " } else { "" };
    let _ = write!(out, "{i}{unlogged}table {}", qualified(&t.name));
    if let Some(old) = &t.renamed_from {
        let _ = write!(out, " renamed_from {}", name(old));
    }
    if let Some(of) = &t.partition_of {
        let _ = write!(
            out,
            " partition of {} {}",
            qualified(&of.parent),
            bound(&of.bound)
        );
    }
    if let Some(key) = &t.partition_by {
        let elements: Vec<String> = key
            .elements
            .iter()
            .map(|e| element(&e.target, &e.collation, &e.opclass))
            .collect();
        let _ = write!(
            out,
            " partition by {} ({})",
            key.strategy.sql().to_lowercase(),
            elements.join(", ")
        );
    }
    out.push_str(&storage(&t.storage));
    // A partition has its parent's columns: only its own constraints and indexes follow.
    if t.partition_of.is_some() && t.constraints.is_empty() && t.indexes.is_empty() {
        out.push_str(";\n");
        return;
    }
    out.push_str(" {\n");
    let own_columns: &[Column] = if t.partition_of.is_some() {
        &[]
    } else {
        &t.columns
    };
    for c in own_columns {
        doc(out, ii, &c.comment);
        let _ = write!(out, "{ii}{} {}", name(&c.name), data_type(&c.data_type));
        if let Some(old) = &c.renamed_from {
            let _ = write!(out, " renamed_from {}", name(old));
        }
        if let Some(using) = &c.using {
            let _ = write!(out, " using {}", string(using));
        }
        if let Some(coll) = &c.collation {
            let _ = write!(out, " collate {}", string(coll));
        }
        match c.identity {
            Some(Identity::Always) => out.push_str(" generated always as identity"),
            Some(Identity::ByDefault) => out.push_str(" generated by default as identity"),
            None => {}
        }
        if let Some(g) = &c.generated {
            let _ = write!(out, " generated always as {} stored", string(g));
        }
        if c.not_null {
            out.push_str(" not null");
        }
        if let Some(d) = &c.default {
            let _ = write!(out, " default {}", string(d));
        }
        if let Some(method) = &c.compression {
            let _ = write!(out, " compression {method}");
        }
        if let Some(kind) = c.storage {
            let _ = write!(out, " storage {}", kind.keyword());
        }
        if let Some(target) = c.statistics {
            let _ = write!(out, " statistics {target}");
        }
        if !c.options.is_empty() {
            let options: Vec<String> = c
                .options
                .iter()
                .map(|o| format!("{} = {}", o.name, o.value))
                .collect();
            let _ = write!(out, " with ({})", options.join(", "));
        }
        out.push_str(",\n");
    }
    for c in &t.constraints {
        doc(out, ii, &c.comment);
        let _ = write!(out, "{ii}constraint {} ", name(&c.name));
        match &c.kind {
            ConstraintKind::PrimaryKey { columns, include } => {
                let _ = write!(out, "primary key ({})", list(columns));
                if !include.is_empty() {
                    let _ = write!(out, " include ({})", list(include));
                }
            }
            ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct,
            } => {
                let _ = write!(out, "unique ({})", list(columns));
                if !include.is_empty() {
                    let _ = write!(out, " include ({})", list(include));
                }
                if *nulls_not_distinct {
                    out.push_str(" nulls not distinct");
                }
            }
            ConstraintKind::ForeignKey {
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_update,
            } => {
                let _ = write!(
                    out,
                    "foreign key ({}) references {} ({})",
                    list(columns),
                    qualified(ref_table),
                    list(ref_columns)
                );
                fk_actions(out, *on_delete, *on_update);
            }
            ConstraintKind::Check { expr } => {
                let _ = write!(out, "check {}", string(expr));
            }
            ConstraintKind::Exclusion {
                method,
                elements,
                include,
                predicate,
            } => {
                let elements: Vec<String> = elements
                    .iter()
                    .map(|e| {
                        let el = &e.element;
                        let mut s = element(&el.target, &el.collation, &el.opclass);
                        if el.descending {
                            s.push_str(" desc");
                        }
                        match el.nulls_first {
                            Some(true) => s.push_str(" nulls first"),
                            Some(false) => s.push_str(" nulls last"),
                            None => {}
                        }
                        let _ = write!(s, " with {}", operator(&e.operator));
                        s
                    })
                    .collect();
                let _ = write!(
                    out,
                    "exclude using {} ({})",
                    name(method.name()),
                    elements.join(", ")
                );
                if !include.is_empty() {
                    let _ = write!(out, " include ({})", list(include));
                }
                if let Some(p) = predicate {
                    let _ = write!(out, " where {}", string(p));
                }
            }
        }
        deferral(out, c);
        if !c.validated {
            out.push_str(" not valid");
        }
        out.push_str(",\n");
    }
    for ix in &t.indexes {
        index(out, ii, ix);
    }
    let _ = writeln!(out, "{i}}}");
}

/// One index as a table (or materialized view) body element, indented by `ii`.
fn index(out: &mut String, ii: &str, ix: &Index) {
    doc(out, ii, &ix.comment);
    out.push_str(ii);
    if ix.unique {
        out.push_str("unique ");
    }
    // `on` and `using` would read as the next clause of the grammar.
    let index_name = match ix.name.as_str() {
        "on" | "using" => string(&ix.name),
        other => name(other),
    };
    let _ = write!(out, "index {index_name}");
    if ix.method != IndexMethod::Btree {
        let _ = write!(out, " using {}", name(ix.method.name()));
    }
    let elements: Vec<String> = ix
        .elements
        .iter()
        .map(|e| {
            let mut s = element(&e.target, &e.collation, &e.opclass);
            if e.descending {
                s.push_str(" desc");
            }
            match e.nulls_first {
                Some(true) => s.push_str(" nulls first"),
                Some(false) => s.push_str(" nulls last"),
                None => {}
            }
            s
        })
        .collect();
    let _ = write!(out, " on ({})", elements.join(", "));
    if !ix.include.is_empty() {
        let _ = write!(out, " include ({})", list(&ix.include));
    }
    if ix.nulls_not_distinct {
        out.push_str(" nulls not distinct");
    }
    out.push_str(&storage(&ix.storage));
    if let Some(p) = &ix.predicate {
        let _ = write!(out, " where {}", string(p));
    }
    out.push_str(",\n");
}

/// ` with (name = value, ...)`, or nothing: names as identifiers (quoted as the grammar needs),
/// values bare when Rust reads them back as the same number or word, else string literals.
fn storage(params: &[StorageParameter]) -> String {
    if params.is_empty() {
        return String::new();
    }
    let list: Vec<String> = params
        .iter()
        .map(|p| {
            let param_name = match p.name.split_once('.') {
                Some((ns, rest)) => format!("{}.{}", name(ns), name(rest)),
                None => name(&p.name),
            };
            let number = p.value.parse::<f64>().is_ok()
                && p.value
                    .trim_start_matches('-')
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.')
                && !p.value.starts_with('.')
                && !p.value.ends_with('.');
            let word = !p.value.is_empty()
                && p.value.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && name(&p.value) == p.value;
            let value = if number || word {
                p.value.clone()
            } else {
                string(&p.value)
            };
            format!("{param_name} = {value}")
        })
        .collect();
    format!(" with ({})", list.join(", "))
}

/// An exclusion operator as the grammar takes it: punctuation as tokens when Rust reads it
/// back as the same characters, else a string literal.
fn operator(op: &str) -> String {
    const TOKEN_SAFE: &str = "+-*<>=~!@#%^&|?";
    let safe = !op.is_empty()
        && op.chars().all(|c| TOKEN_SAFE.contains(c))
        && !op.contains("//")
        && !op.contains("/*");
    if safe {
        op.to_string()
    } else {
        string(op)
    }
}

/// An index or partition key element: the column or expression, its collation and operator
/// class. The grammar reads a string-literal element as SQL, so a column Rust cannot spell is
/// written as its quoted SQL identifier inside the literal.
fn element(target: &IndexTarget, collation: &Option<String>, opclass: &Option<String>) -> String {
    let mut s = match target {
        IndexTarget::Column(c) if name(c) == *c => c.clone(),
        IndexTarget::Column(c) => string(&schema_core::ident::quote_ident(c)),
        IndexTarget::Expression(x) => string(x),
    };
    if let Some(coll) = collation {
        let _ = write!(s, " collate {}", string(coll));
    }
    if let Some(op) = opclass {
        let _ = write!(s, " {}", name(op));
    }
    s
}

/// A partition bound as the grammar writes it: `for values from (..) to (..)`, `in (..)`,
/// `with (modulus m, remainder r)` or `default`.
fn bound(bound: &PartitionBound) -> String {
    let values = |vs: &[String]| {
        vs.iter()
            .map(|v| bound_value(v))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match bound {
        PartitionBound::Range { from, to } => {
            format!("for values from ({}) to ({})", values(from), values(to))
        }
        PartitionBound::List(vs) => format!("for values in ({})", values(vs)),
        PartitionBound::Hash { modulus, remainder } => {
            format!("for values with (modulus {modulus}, remainder {remainder})")
        }
        PartitionBound::Default => "default".to_string(),
    }
}

/// A bound value as PostgreSQL prints it, as the grammar takes it: a quoted literal becomes a
/// Rust string of its text; keywords go lower case; numbers and `true` / `false` stay.
fn bound_value(sql: &str) -> String {
    let t = sql.trim();
    if let Some(inner) = t.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return string(&inner.replace("''", "'"));
    }
    match t.to_ascii_uppercase().as_str() {
        "MINVALUE" | "MAXVALUE" | "NULL" | "TRUE" | "FALSE" => t.to_ascii_lowercase(),
        _ => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_print_their_parent_and_bound() {
        let schema = Schema::builder()
            .table(
                schema_core::builder::TableDef::new("t")
                    .column(schema_core::builder::ColumnDef::new(
                        "at",
                        DataType::builtin("timestamp with time zone"),
                    ))
                    .partition_by(PartitionKey::range(["at"])),
            )
            .table(schema_core::builder::TableDef::new("t1").partition_of(
                "t",
                PartitionBound::range(["'2022-01-01 00:00:00+00'"], ["MAXVALUE"]),
            ))
            .build();
        let text = to_schema_source(&schema);
        assert!(
            text.contains(
                "table t partition by range (at) {\n        at timestamp with time zone,\n    }"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "table t1 partition of t for values from (\"2022-01-01 00:00:00+00\") to (maxvalue);"
            ),
            "{text}"
        );
        assert_eq!(bound_value("'it''s'"), "\"it's\"");
        assert_eq!(bound_value("NULL"), "null");
        assert_eq!(
            bound(&PartitionBound::hash(4, 0)),
            "for values with (modulus 4, remainder 0)"
        );
    }

    #[test]
    fn names_and_strings() {
        assert_eq!(name("users"), "users");
        assert_eq!(name("Users"), "Users");
        assert_eq!(name("check"), "\"check\"");
        assert_eq!(name("order-lines"), "\"order-lines\"");
        assert_eq!(string("a \"b\""), "r#\"a \"b\"\"#");
        assert_eq!(string("x\"#y"), "r##\"x\"#y\"##");
    }

    #[test]
    fn function_names() {
        assert_eq!(sql_name("float8mi"), "float8mi");
        assert_eq!(sql_name("audit.\"Diff\""), "audit.Diff");
        assert_eq!(sql_name("\"my \"\"diff\"\"\""), "r#\"my \"diff\"\"#");
    }
}
