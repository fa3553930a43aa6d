//! libpq's two connection-string syntaxes, `postgresql://` URLs and `key=value` strings, read
//! into `(key, value)` pairs in the order given. Pure text work: which keys exist and what
//! their values mean is `settings`' job.

/// `text` as `(key, value)` pairs: a `postgresql://` or `postgres://` URL, or a libpq
/// `key = value` string (values bare or single-quoted, backslash escapes in both). An empty
/// (or all white space) string has no pairs. Later pairs override earlier ones, as in libpq.
///
/// `Err` says what is wrong, without the text itself (it may hold a password).
pub(crate) fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let trimmed = text.trim();
    for scheme in ["postgresql://", "postgres://"] {
        if trimmed.len() >= scheme.len() && trimmed[..scheme.len()].eq_ignore_ascii_case(scheme) {
            return parse_url(&trimmed[scheme.len()..]);
        }
    }
    if let Some((scheme, _)) = trimmed.split_once("://") {
        if !scheme.contains(['=', ' ']) {
            return Err(format!(
                "a URL must start with postgresql:// or postgres://, not {scheme}://"
            ));
        }
    }
    parse_keywords(trimmed)
}

/// The part of a URL after `postgresql://`:
/// `[user[:password]@][host[:port][,host[:port]...]][/dbname][?key=value&...]`.
fn parse_url(rest: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    // Host names and database names hold no `@`: the user info ends at the last `@` before
    // the query, so a password with an unencoded `@`, `/` or `:` still parses whole (libpq
    // stops at the first `@` or `/`), as `error::redact` reads it too.
    let before_query = rest.find('?').unwrap_or(rest.len());
    let rest = match rest[..before_query].rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            let (user, password) = match userinfo.split_once(':') {
                Some((user, password)) => (user, Some(password)),
                None => (userinfo, None),
            };
            let user = decode(user)?;
            if !user.is_empty() {
                pairs.push(("user".to_owned(), user));
            }
            if let Some(password) = password {
                pairs.push(("password".to_owned(), decode(password)?));
            }
            &rest[at + 1..]
        }
        None => rest,
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (hosts, tail) = rest.split_at(authority_end);
    if !hosts.is_empty() {
        let mut names = Vec::new();
        let mut ports = Vec::new();
        for spec in hosts.split(',') {
            let (host, port) = if let Some(v6) = spec.strip_prefix('[') {
                let (addr, after) = v6
                    .split_once(']')
                    .ok_or("an IPv6 address in the URL lacks its closing `]`")?;
                match after {
                    "" => (addr, ""),
                    _ => match after.strip_prefix(':') {
                        Some(port) => (addr, port),
                        None => {
                            return Err(format!(
                                "unexpected `{after}` after the IPv6 address [{addr}] in the URL"
                            ))
                        }
                    },
                }
            } else {
                match spec.rsplit_once(':') {
                    Some((host, port)) => (host, port),
                    None => (spec, ""),
                }
            };
            names.push(decode(host)?);
            ports.push(decode(port)?);
        }
        if names.iter().any(|n| !n.is_empty()) {
            pairs.push(("host".to_owned(), names.join(",")));
        }
        if ports.iter().any(|p| !p.is_empty()) {
            pairs.push(("port".to_owned(), ports.join(",")));
        }
    }
    let (path, query) = match tail.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (tail, None),
    };
    if let Some(dbname) = path.strip_prefix('/') {
        let dbname = decode(dbname)?;
        if !dbname.is_empty() {
            pairs.push(("dbname".to_owned(), dbname));
        }
    }
    for param in query.into_iter().flat_map(|q| q.split('&')) {
        if param.is_empty() {
            continue;
        }
        let (key, value) = param.split_once('=').ok_or_else(|| {
            format!(
                "URL query parameter `{}` has no `=value`",
                decode(param).unwrap_or_default()
            )
        })?;
        let key = decode(key)?;
        let value = decode(value)?;
        // libpq's JDBC-compatible spelling.
        if key == "ssl" {
            if value == "true" {
                pairs.push(("sslmode".to_owned(), "require".to_owned()));
                continue;
            }
            return Err(format!(
                "URL query parameter ssl={value}: only ssl=true is accepted (or use sslmode)"
            ));
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Percent-decoding as libpq does it: `%XX` only (`+` stays a plus), the result UTF-8.
fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("invalid percent-encoding (`%` must be followed by two hex digits)")?;
            if hex == 0 {
                return Err("forbidden value %00 in percent-encoded value".to_owned());
            }
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "a percent-encoded value is not UTF-8".to_owned())
}

/// `key = value ...`, as libpq's `conninfo_parse`.
fn parse_keywords(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(format!(
                "missing `=` after `{key}` in the connection string (key=value pairs, or a \
                 postgresql:// URL)"
            ));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => {
                        return Err(format!(
                            "unterminated quoted value of `{key}` in the connection string"
                        ))
                    }
                    Some('\\') => {
                        if let Some(c) = chars.next() {
                            value.push(c);
                        }
                    }
                    Some('\'') => break,
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    if let Some(escaped) = chars.next() {
                        value.push(escaped);
                    }
                } else {
                    value.push(c);
                }
            }
        }
        pairs.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn p(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn urls() {
        assert_eq!(
            pairs("postgresql://app:s%40cret@db.example:5433/my%20db?sslmode=verify-full&application_name=a+b"),
            p(&[
                ("user", "app"),
                ("password", "s@cret"),
                ("host", "db.example"),
                ("port", "5433"),
                ("dbname", "my db"),
                ("sslmode", "verify-full"),
                ("application_name", "a+b"),
            ])
        );
        assert_eq!(pairs("postgres://"), p(&[]));
        assert_eq!(pairs("postgresql:///db"), p(&[("dbname", "db")]));
        assert_eq!(
            pairs("postgresql://%2Fvar%2Frun%2Fpostgresql/db"),
            p(&[("host", "/var/run/postgresql"), ("dbname", "db")])
        );
        assert_eq!(
            pairs("postgresql://u@/db?host=/tmp/s&port=5"),
            p(&[
                ("user", "u"),
                ("dbname", "db"),
                ("host", "/tmp/s"),
                ("port", "5")
            ])
        );
        assert_eq!(
            pairs("postgresql://a:1,[::1]:2,c/db"),
            p(&[("host", "a,::1,c"), ("port", "1,2,"), ("dbname", "db")])
        );
        assert_eq!(
            pairs("postgresql://h?ssl=true"),
            p(&[("host", "h"), ("sslmode", "require")])
        );
        // An unencoded `@`, `/` or `:` in the password.
        assert_eq!(
            pairs("postgres://u:a@b/c:d@/db?host=/s"),
            p(&[
                ("user", "u"),
                ("password", "a@b/c:d"),
                ("dbname", "db"),
                ("host", "/s")
            ])
        );
        assert_eq!(
            pairs("postgres://u:p@ss@h/d"),
            p(&[
                ("user", "u"),
                ("password", "p@ss"),
                ("host", "h"),
                ("dbname", "d")
            ])
        );
    }

    #[test]
    fn keyword_strings() {
        assert_eq!(
            pairs(r"host=h port = 5 password='it\'s a \\ secret' user=a\ b dbname=''"),
            p(&[
                ("host", "h"),
                ("port", "5"),
                ("password", r"it's a \ secret"),
                ("user", "a b"),
                ("dbname", ""),
            ])
        );
        assert_eq!(pairs(""), p(&[]));
        assert_eq!(pairs("   "), p(&[]));
    }

    #[test]
    fn bad_strings_say_what_is_wrong_without_the_text() {
        let err = parse("mydb").unwrap_err();
        assert!(err.contains("missing `=` after `mydb`"), "{err}");
        let err = parse("password='abc").unwrap_err();
        assert!(err.contains("unterminated"), "{err}");
        assert!(!err.contains("abc"), "{err}");
        let err = parse("mysql://u@h/d").unwrap_err();
        assert!(err.contains("postgresql://"), "{err}");
        let err = parse("postgresql://h/d%zz").unwrap_err();
        assert!(err.contains("percent"), "{err}");
        let err = parse("postgresql://[::1/d").unwrap_err();
        assert!(err.contains("IPv6"), "{err}");
    }
}
