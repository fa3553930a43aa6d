//! Loading a SQL file or a directory of migration files into a scratch database, so
//! `pgdecl diff` can compare a team's existing migrations with a live database.
//!
//! A directory's `*.sql` files run in version order (a natural sort of the file names, so
//! `2_b.sql` runs before `10_c.sql`; flyway versions such as `V1_1__x.sql` by their numbers,
//! repeatable `R__*.sql` last), up files only: `*.down.sql`, `*_down.sql` and flyway undo
//! files (`U1__x.sql`) are skipped, and of a goose file (`-- +goose Up` / `-- +goose Down`) or
//! a dbmate file (`-- migrate:up` / `-- migrate:down`) only the up part runs. Statements run
//! one at a time, in autocommit (so `CREATE INDEX CONCURRENTLY` and `ALTER TYPE ... ADD VALUE`
//! work as under the tools themselves), on one session (so a `SET search_path` carries on).

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use crate::connect::connect;
use crate::error::{redact, Error, ErrorKind};

/// True when a `pgdecl diff` side names a path rather than a database: an existing file or
/// directory, or a name ending in `.sql`.
pub fn is_path_side(side: &str) -> bool {
    let path = Path::new(side);
    path.exists() || side.to_ascii_lowercase().ends_with(".sql")
}

/// The files `path` stands for, in the order they run: the file itself, or the up files of a
/// directory (see the module docs).
pub fn migration_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |e| Error::from_io(&format!("reading {}", path.display()), e);
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().map_err(io)?.is_file() && is_up_file(&name) {
            files.push(entry.path());
        }
    }
    files.sort_by(|a, b| version_order(&file_name(a), &file_name(b)));
    if files.is_empty() {
        return Err(Error::new(
            ErrorKind::Invalid,
            &format!("reading the migrations in {}", path.display()),
            "the directory holds no up migration (*.sql, not *.down.sql, *_down.sql or U*__*.sql)",
        ));
    }
    Ok(files)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// True for a `*.sql` file name that is not a down or undo migration, nor hidden.
pub fn is_up_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".sql")
        && !name.starts_with('.')
        && !lower.ends_with(".down.sql")
        && !lower.ends_with("_down.sql")
        && flyway_version(name, 'U').is_none()
}

/// The numbers of a flyway-style version prefix (`V1_2__x.sql`, `V1.2__x.sql`) for `prefix`
/// `V` (versioned) or `U` (undo).
fn flyway_version(name: &str, prefix: char) -> Option<Vec<u64>> {
    let rest = name
        .strip_prefix(prefix)
        .or_else(|| name.strip_prefix(prefix.to_ascii_lowercase()))?;
    let (version, _) = rest.split_once("__")?;
    if version.is_empty() {
        return None;
    }
    version
        .split(['.', '_'])
        .map(|part| part.parse::<u64>().ok())
        .collect()
}

/// The order migration files run in: flyway versions by their numbers, repeatable `R__`
/// files last, everything else by a natural sort of the name.
pub fn version_order(a: &str, b: &str) -> Ordering {
    let repeatable = |n: &str| n.starts_with("R__") || n.starts_with("r__");
    repeatable(a)
        .cmp(&repeatable(b))
        .then_with(|| match (flyway_version(a, 'V'), flyway_version(b, 'V')) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => Ordering::Equal,
        })
        .then_with(|| natural_cmp(a, b))
}

/// A natural sort: runs of digits compare as numbers (`2` before `10`), the rest as text;
/// equal by that, the plain text decides (`01` and `1` stay apart).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[i - 1].is_ascii_digit() {
                out.push(&s[start..i]);
                start = i;
            }
        }
        out
    }
    let (x, y) = (chunks(a), chunks(b));
    for (p, q) in x.iter().zip(&y) {
        let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
        let order = if digits(p) && digits(q) {
            let (p, q) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
            p.len().cmp(&q.len()).then_with(|| p.cmp(q))
        } else {
            p.cmp(q)
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    x.len().cmp(&y.len()).then_with(|| a.cmp(b))
}

/// The part of a migration file that migrates up: between `-- +goose Up` and `-- +goose Down`
/// for goose, between `-- migrate:up` and `-- migrate:down` for dbmate, else the whole text.
pub fn up_part(text: &str) -> &str {
    for (up, down) in [
        ("-- +goose up", "-- +goose down"),
        ("-- migrate:up", "-- migrate:down"),
    ] {
        let Some(start) = find_marker_line(text, up) else {
            continue;
        };
        let body = &text[start..];
        let end = find_marker_line(body, down).map_or(body.len(), |d| line_start(body, d));
        return &body[..end];
    }
    text
}

/// The byte offset just after the line starting with `marker` (case-insensitive).
fn find_marker_line(text: &str, marker: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().to_ascii_lowercase().starts_with(marker) {
            return Some(offset + line.len());
        }
        offset += line.len();
    }
    None
}

/// The offset where the line containing `after_line` (an offset just past it) starts.
fn line_start(text: &str, after_line: usize) -> usize {
    let line = &text[..after_line];
    let trimmed = line.strip_suffix('\n').unwrap_or(line);
    trimmed.rfind('\n').map_or(0, |i| i + 1)
}

/// One statement of a SQL file and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlStatement {
    /// The line its first token is on, from 1.
    pub line: usize,
    /// Its text, without the closing `;`.
    pub text: String,
}

/// Splits a SQL script into statements at the `;`s outside string literals, quoted
/// identifiers, dollar-quoted bodies and comments. A psql meta-command (`\i`, `\set`, ...) is
/// an error: the file is for psql, and pgdecl runs SQL only.
pub fn split_statements(sql: &str) -> Result<Vec<SqlStatement>, String> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line, mut start) = (0usize, 1usize, 0usize);
    let mut first_token_line: Option<usize> = None;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        line += usize::from(bytes[i] == b'\n');
                        i += 1;
                    }
                }
            }
            b';' => {
                let text = sql[start..i].to_string();
                if let Some(l) = first_token_line.take() {
                    out.push(SqlStatement { line: l, text });
                }
                i += 1;
                start = i;
            }
            b'\\' if first_token_line.is_none() => {
                let end = sql[i..].find('\n').map_or(sql.len(), |n| i + n);
                return Err(format!(
                    "line {line}: `{}` is a psql meta-command; pgdecl runs SQL only: \
                     inline what it does, or load the file with psql into the scratch \
                     database and pass that database's URL instead",
                    sql[i..end].trim()
                ));
            }
            _ if c.is_ascii_whitespace() => i += 1,
            _ => {
                first_token_line.get_or_insert(line);
                match c {
                    b'\'' => {
                        // E'...' strings take backslash escapes; standard strings do not.
                        let escapes = i > 0
                            && matches!(bytes[i - 1], b'e' | b'E')
                            && (i < 2 || !ident(bytes[i - 2]));
                        i += 1;
                        while i < bytes.len() {
                            match bytes[i] {
                                b'\\' if escapes => i += 1,
                                b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 1,
                                b'\'' => break,
                                b'\n' => line += 1,
                                _ => {}
                            }
                            i += 1;
                        }
                        i += 1;
                    }
                    b'"' => {
                        i += 1;
                        while i < bytes.len() && bytes[i] != b'"' {
                            line += usize::from(bytes[i] == b'\n');
                            i += 1;
                        }
                        i += 1;
                    }
                    b'$' if i == 0 || !ident(bytes[i - 1]) => {
                        // `$tag$ ... $tag$`; `$1` is a parameter, not a quote.
                        let tag_end = bytes[i + 1..]
                            .iter()
                            .position(|&b| !ident(b))
                            .map(|n| i + 1 + n);
                        let is_quote = tag_end.is_some_and(|e| {
                            bytes[e] == b'$' && (e == i + 1 || !bytes[i + 1].is_ascii_digit())
                        });
                        if let (true, Some(e)) = (is_quote, tag_end) {
                            let tag = &sql[i..=e];
                            let body = e + 1;
                            let close = sql[body..].find(tag).map_or(sql.len(), |n| body + n);
                            line += sql[i..close].matches('\n').count();
                            i = (close + tag.len()).min(sql.len());
                        } else {
                            i += 1;
                        }
                    }
                    _ => i += 1,
                }
            }
        }
    }
    if let Some(l) = first_token_line {
        out.push(SqlStatement {
            line: l,
            text: sql[start..].to_string(),
        });
    }
    Ok(out)
}

/// What [`load_into_scratch`] ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The files, in the order they ran.
    pub files: Vec<PathBuf>,
    /// How many statements ran.
    pub statements: usize,
}

/// Loads the SQL file or migration directory `path` into the database at `scratch_url`,
/// which must be empty (no schema but `public`, no extension but `plpgsql`, no relation,
/// function or type outside the system schemas): pgdecl refuses to load into a database
/// that holds anything, since the result would not be what the migrations build. The database
/// is left as loaded, for the caller to inspect or drop.
pub fn load_into_scratch(scratch_url: &str, path: &Path) -> Result<Loaded, Error> {
    let files = migration_files(path)?;
    let mut client = connect(scratch_url)?;
    refuse_non_empty(&mut client, scratch_url)?;
    let mut statements = 0;
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Error::from_io(&format!("reading {}", file.display()), e))?;
        let parsed = split_statements(up_part(&text)).map_err(|detail| {
            Error::new(
                ErrorKind::Invalid,
                &format!("loading {}", file.display()),
                detail,
            )
        })?;
        for statement in parsed {
            client.batch_execute(&statement.text).map_err(|e| {
                let first_line = statement.text.trim().lines().next().unwrap_or_default();
                Error::from_postgres(
                    &format!(
                        "loading {} into the scratch database: the statement at line {} \
                         (`{}`) failed",
                        file.display(),
                        statement.line,
                        first_line.chars().take(80).collect::<String>()
                    ),
                    e,
                )
            })?;
            statements += 1;
        }
    }
    Ok(Loaded { files, statements })
}

/// `Err` naming what the scratch database already holds, if anything.
fn refuse_non_empty(client: &mut postgres::Client, url: &str) -> Result<(), Error> {
    const SYSTEM: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
                          AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'";
    let query = format!(
        "SELECT kind || ' ' || name FROM (
           SELECT 1 AS o, 'schema' AS kind, quote_ident(n.nspname) AS name FROM pg_namespace n
            WHERE {SYSTEM} AND n.nspname <> 'public'
           UNION ALL
           SELECT 2, 'extension', quote_ident(extname) FROM pg_extension WHERE extname <> 'plpgsql'
           UNION ALL
           SELECT 3, 'relation', c.oid::regclass::text FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {SYSTEM}
           UNION ALL
           SELECT 4, 'function', p.oid::regprocedure::text FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {SYSTEM}
           UNION ALL
           SELECT 5, 'type', t.oid::regtype::text FROM pg_type t
             JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE {SYSTEM} AND t.typrelid = 0 AND t.typelem = 0
         ) found ORDER BY o, name LIMIT 11"
    );
    let rows = client
        .simple_query(&query)
        .map_err(|e| Error::from_postgres("checking that the scratch database is empty", e))?;
    let found: Vec<String> = rows
        .iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        })
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    let mut listed = found
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if found.len() > 10 {
        listed.push_str(", ...");
    }
    Err(Error::new(
        ErrorKind::Invalid,
        &format!(
            "loading migrations into the scratch database {}",
            redact(url)
        ),
        format!(
            "the scratch database is not empty: it holds {listed}; pgdecl loads the \
             migrations into an empty database only (what they build is compared), so pass \
             --scratch-url of a new database (createdb pgdecl_scratch), or drop it and \
             create it again"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_and_flyway_order() {
        let mut names = vec![
            "10_c.sql",
            "2_b.sql",
            "1_a.sql",
            "V1_1__y.sql",
            "V1__x.sql",
            "V2__z.sql",
            "R__views.sql",
            "V10__w.sql",
        ];
        names.sort_by(|a, b| version_order(a, b));
        assert_eq!(
            names,
            [
                "1_a.sql",
                "2_b.sql",
                "10_c.sql",
                "V1__x.sql",
                "V1_1__y.sql",
                "V2__z.sql",
                "V10__w.sql",
                "R__views.sql"
            ]
        );
        assert_eq!(natural_cmp("001_a.sql", "1_a.sql"), Ordering::Less);
    }

    #[test]
    fn up_files_only() {
        assert!(is_up_file("001_init.up.sql"));
        assert!(is_up_file("20240101_init.sql"));
        assert!(is_up_file("V1__init.sql"));
        assert!(!is_up_file("001_init.down.sql"));
        assert!(!is_up_file("001_init_down.sql"));
        assert!(!is_up_file("U1__init.sql"));
        assert!(!is_up_file("README.md"));
        assert!(!is_up_file(".hidden.sql"));
    }

    #[test]
    fn goose_and_dbmate_up_parts() {
        let goose = "-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE a (id int);\n\
                     -- +goose StatementEnd\n\n-- +goose Down\nDROP TABLE a;\n";
        let up = up_part(goose);
        assert!(
            up.contains("CREATE TABLE a") && !up.contains("DROP"),
            "{up}"
        );
        let dbmate = "-- migrate:up\ncreate table b (id int);\n-- migrate:down\ndrop table b;\n";
        assert_eq!(up_part(dbmate).trim(), "create table b (id int);");
        assert_eq!(up_part("select 1;"), "select 1;");
    }

    #[test]
    fn splits_outside_quotes_bodies_and_comments() {
        let sql = "CREATE TABLE t (a text DEFAULT ';');  -- a comment; still a comment\n\
                   /* block; /* nested; */ */\n\
                   CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\n\
                   BEGIN RETURN 1; END $body$;\n\
                   SELECT E'it\\'s;', \"we;ird\", $1::int\n";
        let parts = split_statements(sql).unwrap();
        let texts: Vec<&str> = parts.iter().map(|s| s.text.trim()).collect();
        assert_eq!(texts.len(), 3, "{texts:#?}");
        // Comments before a statement stay with it; its line is that of its first token.
        assert!(texts[1].contains("/* block") && texts[1].ends_with("$body$"));
        assert_eq!(parts[0].line, 1);
        assert_eq!(parts[1].line, 3);
        assert_eq!(parts[2].line, 5);
        assert!(split_statements("\\i other.sql\n").is_err());
        assert!(split_statements("-- only a comment\n").unwrap().is_empty());
    }
}
