pgdecl::schema! {
    extension btree_gist;
    table bookings {
        room integer,
        during tstzrange,
        exclude using gist (rom with =, during with &&),
    }
}

fn main() {}
