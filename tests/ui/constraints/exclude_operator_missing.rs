pgdecl::schema! {
    table bookings {
        room integer,
        during tstzrange,
        exclude using gist (room with =, during),
    }
}

fn main() {}
