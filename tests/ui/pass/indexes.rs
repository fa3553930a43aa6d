pgdecl::schema! {
    extension pg_trgm;
    table docs {
        id     bigint primary key,
        title  text not null,
        body   text,
        sku    text,
        qty    int,
        "Tag"  text,
        deleted_at timestamptz,

        index on (sku),
        /// Finds live documents by title.
        unique index docs_live_title_idx on (lower(title)) where "deleted_at is null",
        index docs_sku_pattern_idx using btree on (sku text_pattern_ops desc nulls last) include (qty),
        index using gin on ("to_tsvector('english', body)"),
        index using gin on (title gin_trgm_ops),
        unique index on (title collate "C" asc nulls first, qty) nulls not distinct,
        index on ("\"Tag\""),
        index using hash on (sku),
        index on (coalesce(qty, 0), public.lower(sku)),
        index on ((qty + 1)),
    }
}

use pgdecl::{IndexMethod, IndexTarget};

fn main() {
    let t = &SCHEMA.tables[0];
    let names: Vec<&str> = t.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "docs_sku_idx",
            "docs_live_title_idx",
            "docs_sku_pattern_idx",
            "docs_to_tsvector_idx",
            "docs_title_idx",
            "docs_title_qty_idx",
            "docs_Tag_idx",
            "docs_sku_idx1",
            "docs_coalesce_lower_idx",
            "docs_expr_idx",
        ]
    );
    let live = &t.indexes[1];
    assert!(live.unique);
    assert_eq!(live.predicate.as_deref(), Some("deleted_at is null"));
    assert_eq!(live.elements[0].target, IndexTarget::Expression("lower(title)".into()));
    assert_eq!(live.comment.as_deref(), Some("Finds live documents by title."));
    let pattern = &t.indexes[2];
    assert_eq!(pattern.method, IndexMethod::Btree);
    assert_eq!(pattern.elements[0].opclass.as_deref(), Some("text_pattern_ops"));
    assert!(pattern.elements[0].descending);
    assert_eq!(pattern.elements[0].nulls_first, Some(false));
    assert_eq!(pattern.include, ["qty"]);
    assert_eq!(t.indexes[3].method, IndexMethod::Gin);
    let title = &t.indexes[5];
    assert_eq!(title.elements[0].collation.as_deref(), Some("C"));
    assert_eq!(title.elements[0].nulls_first, Some(true));
    assert!(title.nulls_not_distinct);
    assert_eq!(t.indexes[6].elements[0].target, IndexTarget::Column("Tag".into()));
    assert_eq!(t.indexes[7].method, IndexMethod::Hash);
    assert_eq!(t.indexes[8].elements[0].target, IndexTarget::Expression("coalesce(qty, 0)".into()));
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
