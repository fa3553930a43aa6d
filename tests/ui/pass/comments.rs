pgdecl::schema! {
    /// Who may log in.
    ///
    /// One row per person.
    table users {
        /// Primary key.
        id bigint primary key,
        ///   Indented on purpose.
        email text,
        /// The constraint's comment.
        check users_email_present "email <> ''",
        /** A block comment
            on an index. */
        index on (email),
    }
}

fn main() {
    let t = &SCHEMA.tables[0];
    assert_eq!(t.comment.as_deref(), Some("Who may log in.\n\nOne row per person."));
    assert_eq!(t.columns[0].comment.as_deref(), Some("Primary key."));
    // One leading space is trimmed, the rest is kept.
    assert_eq!(t.columns[1].comment.as_deref(), Some("  Indented on purpose."));
    assert_eq!(t.constraints[1].comment.as_deref(), Some("The constraint's comment."));
    assert_eq!(
        t.indexes[0].comment.as_deref(),
        Some("A block comment\n           on an index. ")
    );
    assert_eq!(t.columns[1].comment, Some("  Indented on purpose.".to_string()));
}
