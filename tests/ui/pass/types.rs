pgdecl::schema! {
    extension vector;
    table everything {
        a int, b int4, c integer, d bigint, e int8, f smallint, g smallserial, h bigserial,
        i real, j float8, k double precision, l numeric(10, 2), m decimal, n money,
        o bool, p boolean, q text, r varchar(20), s character varying(20), t char(3),
        u bytea, v date, w time(2), x timetz, y timestamp(3), z timestamptz(3),
        aa timestamp with time zone, ab time without time zone, ac interval,
        ad interval day to second(3), ae uuid, af json, ag jsonb, ah xml, ai inet, aj cidr,
        ak macaddr, al bit(8), am varbit(16), an tsvector, ao tsquery, ap point,
        aq int4range, ar tstzrange, as_ oid, at "char", au int[], av text[][],
        aw vector(3), ax bit varying(4), ay float,
    }
}

fn main() {
    let printed: Vec<String> = SCHEMA.tables[0]
        .columns
        .iter()
        .map(|c| c.data_type.to_string())
        .collect();
    assert_eq!(
        printed,
        [
            "integer", "integer", "integer", "bigint", "bigint", "smallint", "smallserial",
            "bigserial", "real", "double precision", "double precision", "numeric(10,2)",
            "numeric", "money", "boolean", "boolean", "text", "character varying(20)",
            "character varying(20)", "character(3)", "bytea", "date",
            "time(2) without time zone", "time with time zone",
            "timestamp(3) without time zone", "timestamp(3) with time zone",
            "timestamp with time zone", "time without time zone", "interval",
            "interval day to second(3)", "uuid", "json", "jsonb", "xml", "inet", "cidr",
            "macaddr", "bit(8)", "bit varying(16)", "tsvector", "tsquery", "point",
            "int4range", "tstzrange", "oid", "\"char\"", "integer[]", "text[]", "vector(3)",
            "bit varying(4)", "double precision",
        ]
    );
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
