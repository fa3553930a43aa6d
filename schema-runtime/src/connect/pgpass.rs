//! The password file (`~/.pgpass`, or `PGPASSFILE` / `passfile`) with libpq's rules: lines
//! `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escapes, `#`
//! comments, and a file that group or others may read ignored.

use std::path::{Path, PathBuf};

/// The password a password file gives a connection, and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) password: String,
    /// 1-based line number.
    pub(crate) line: usize,
}

/// Why no password came from the file: for the error when the server asks for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Missing {
    /// There is no such file.
    NoFile,
    /// The file exists, but no line matches.
    NoMatch,
    /// The file is not a plain file, or group or others may access it.
    Ignored(String),
    /// It could not be read.
    Unreadable(String),
}

/// What is looked up: the connection's host (`localhost` for a Unix socket), port, database
/// and user, as libpq compares them.
pub(crate) struct Key<'a> {
    pub(crate) host: &'a str,
    pub(crate) port: &'a str,
    pub(crate) dbname: &'a str,
    pub(crate) user: &'a str,
}

/// Looks `key` up in the file at `path`.
pub(crate) fn lookup(path: &Path, key: &Key<'_>) -> Result<Found, Missing> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Missing::NoFile),
        Err(e) => return Err(Missing::Unreadable(e.to_string())),
    };
    if !meta.is_file() {
        return Err(Missing::Ignored("it is not a plain file".to_owned()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            let reason = format!(
                "it has group or world access (mode {:o}); permissions should be u=rw (0600) or less: chmod 0600 {}",
                mode & 0o777,
                path.display()
            );
            tracing::warn!(file = %path.display(), "password file ignored: {reason}");
            return Err(Missing::Ignored(reason));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| Missing::Unreadable(e.to_string()))?;
    find(&text, key).ok_or(Missing::NoMatch)
}

/// The first line of `text` that matches `key`.
pub(crate) fn find(text: &str, key: &Key<'_>) -> Option<Found> {
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = split_fields(line);
        if fields.len() < 5 {
            continue;
        }
        let matches = |(field, wildcard): &(String, bool), value: &str| *wildcard || field == value;
        if matches(&fields[0], key.host)
            && matches(&fields[1], key.port)
            && matches(&fields[2], key.dbname)
            && matches(&fields[3], key.user)
        {
            return Some(Found {
                // libpq ends the password at the next unescaped colon too.
                password: fields[4].0.clone(),
                line: i + 1,
            });
        }
    }
    None
}

/// `line` split at unescaped colons, each field with its backslash escapes removed, and
/// whether it is the wildcard: exactly an unescaped `*` (an escaped `\*` is a literal star).
fn split_fields(line: &str) -> Vec<(String, bool)> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut escaped_any = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(escaped) = chars.next() {
                    field.push(escaped);
                    escaped_any = true;
                }
            }
            ':' => {
                let wildcard = field == "*" && !escaped_any;
                fields.push((std::mem::take(&mut field), wildcard));
                escaped_any = false;
            }
            c => field.push(c),
        }
    }
    let wildcard = field == "*" && !escaped_any;
    fields.push((field, wildcard));
    fields
}

/// The default password file, `~/.pgpass`, when there is a home directory.
pub(crate) fn default_path(home: Option<&Path>) -> Option<PathBuf> {
    home.map(|home| home.join(".pgpass"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# comment line
db.example:5432:app:alice:first
*:5433:*:bob:second
localhost:*:*:carol:with\\:colon\\\\slash
other\\:host:5432:*:*:fourth
*:*:*:*:last:after the colon
";

    fn key<'a>(host: &'a str, port: &'a str, dbname: &'a str, user: &'a str) -> Key<'a> {
        Key {
            host,
            port,
            dbname,
            user,
        }
    }

    #[test]
    fn first_matching_line_wins_with_wildcards_and_escapes() {
        let found = |k| find(FILE, &k).map(|f| (f.password, f.line));
        assert_eq!(
            found(key("db.example", "5432", "app", "alice")),
            Some(("first".into(), 2))
        );
        assert_eq!(
            found(key("anything", "5433", "x", "bob")),
            Some(("second".into(), 3))
        );
        assert_eq!(
            found(key("localhost", "1", "x", "carol")),
            Some(("with:colon\\slash".into(), 4))
        );
        assert_eq!(
            found(key("other:host", "5432", "x", "y")),
            Some(("fourth".into(), 5))
        );
        // No earlier line matches: the catch-all, whose password ends at the next colon.
        assert_eq!(
            found(key("db.example", "5432", "other", "alice")),
            Some(("last".into(), 6))
        );
        // `\*` is a literal star, not the wildcard.
        assert_eq!(
            find("\\*:*:*:star:literal\n", &key("h", "1", "d", "star")),
            None
        );
        assert_eq!(
            find("\\*:*:*:star:literal\n", &key("*", "1", "d", "star")).map(|f| f.password),
            Some("literal".into())
        );
        assert_eq!(find("short:line\n", &key("a", "b", "c", "d")), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_may_read_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("pgdecl-pgpass-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pgpass");
        std::fs::write(&path, "*:*:*:*:secret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let k = key("h", "1", "d", "u");
        assert!(
            matches!(lookup(&path, &k), Err(Missing::Ignored(reason)) if reason.contains("chmod 0600"))
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(lookup(&path, &k).map(|f| f.password), Ok("secret".into()));
        assert_eq!(
            lookup(&dir.join("absent"), &k).map(|f| f.line),
            Err(Missing::NoFile)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
