pgdecl::schema! {
    extension btree_gist;
    table rooms { id integer primary key }
    table bookings {
        room integer not null references rooms not valid,
        during tstzrange not null,
        note text check "note <> ''" not valid,
        exclude using gist (room with =, during with &&),
        exclude bookings_lower_excl using gist ("lower(during)" with =) include (note) where "room > 0" deferrable initially deferred,
        constraint bookings_op_excl exclude using gist (during with "&&"),
        constraint bookings_fk foreign key (room) references rooms (id) deferrable not valid,
        check bookings_room_check "room > 0" not valid,
    }
    /// Not written to the WAL.
    unlogged table scratch { room integer references rooms }
    table measures partition by range (n) { n integer }
    table measures_low partition of measures for values from (minvalue) to (0) with (fillfactor = 50, autovacuum_enabled = false, log_autovacuum_min_duration = -1, "parallel_workers" = "2");
}

use pgdecl::{ConstraintKind, IndexMethod, IndexTarget};

fn main() {
    assert_eq!(pgdecl::check(&SCHEMA), vec![]);
    assert!(SCHEMA.tables[2].unlogged && !SCHEMA.tables[1].unlogged);
    let storage: Vec<(&str, &str)> = SCHEMA.tables[4]
        .storage
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        storage,
        [
            ("fillfactor", "50"),
            ("autovacuum_enabled", "false"),
            ("log_autovacuum_min_duration", "-1"),
            ("parallel_workers", "2"),
        ]
    );
    assert_eq!(SCHEMA.tables[2].comment.as_deref(), Some("Not written to the WAL."));
    let t = &SCHEMA.tables[1];
    let names: Vec<(&str, bool)> = t
        .constraints
        .iter()
        .map(|c| (c.name.as_str(), c.validated))
        .collect();
    assert_eq!(
        names,
        [
            ("bookings_room_fkey", false),
            ("bookings_note_check", false),
            ("bookings_room_during_excl", true),
            ("bookings_lower_excl", true),
            ("bookings_op_excl", true),
            ("bookings_fk", false),
            ("bookings_room_check", false),
        ]
    );
    match &t.constraints[3].kind {
        ConstraintKind::Exclusion { method, elements, include, predicate } => {
            assert_eq!(*method, IndexMethod::Gist);
            assert_eq!(elements[0].element.target, IndexTarget::Expression("lower(during)".into()));
            assert_eq!(elements[0].operator, "=");
            assert_eq!(include, &["note"]);
            assert_eq!(predicate.as_deref(), Some("room > 0"));
        }
        other => panic!("{other:?}"),
    }
    assert!(t.constraints[3].initially_deferred);
    assert!(t.constraints[5].deferrable);
    match &t.constraints[4].kind {
        ConstraintKind::Exclusion { elements, .. } => assert_eq!(elements[0].operator, "&&"),
        other => panic!("{other:?}"),
    }
}
