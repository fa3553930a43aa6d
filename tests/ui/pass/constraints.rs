pgdecl::schema! {
    table orders { id bigint primary key }
    table order_lines {
        order_id   bigint not null,
        line_no    integer not null,
        sku        text not null,
        qty        integer not null,
        note       text,

        primary key (order_id, line_no) include (sku),
        constraint order_lines_sku_qty_key unique (sku, qty) nulls not distinct,
        foreign key (order_id) references orders (id) on delete cascade deferrable initially deferred,
        check order_lines_qty_positive "qty > 0",
        check "qty < 1000",
        unique order_lines_note_key (note) include (qty) deferrable,
        unique nulls not distinct (note, sku),
        foreign key order_lines_order_fk (order_id) references orders on update restrict,
        constraint order_lines_note_check check "note <> ''",
        constraint order_lines_pk_order_fk foreign key (order_id) references orders (id),
    }
}

use pgdecl::{ConstraintKind, FkAction};

fn main() {
    let t = &SCHEMA.tables[1];
    let names: Vec<&str> = t.constraints.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "order_lines_pkey",
            "order_lines_sku_qty_key",
            "order_lines_order_id_fkey",
            "order_lines_qty_positive",
            "order_lines_qty_check",
            "order_lines_note_key",
            "order_lines_note_sku_key",
            "order_lines_order_fk",
            "order_lines_note_check",
            "order_lines_pk_order_fk",
        ]
    );
    assert_eq!(
        t.constraints[0].kind,
        ConstraintKind::PrimaryKey {
            columns: vec!["order_id".into(), "line_no".into()],
            include: vec!["sku".into()],
        }
    );
    assert!(t.constraints[5].deferrable && !t.constraints[5].initially_deferred);
    assert!(matches!(
        t.constraints[6].kind,
        ConstraintKind::Unique { nulls_not_distinct: true, .. }
    ));
    match &t.constraints[7].kind {
        ConstraintKind::ForeignKey { ref_columns, on_update, .. } => {
            assert_eq!(ref_columns, &["id"]);
            assert_eq!(*on_update, FkAction::Restrict);
        }
        other => panic!("{other:?}"),
    }
    // Primary key columns are NOT NULL.
    assert!(t.column("order_id").unwrap().not_null);
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
