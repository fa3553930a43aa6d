pgdecl::schema! {
    table bookings {
        during tstzrange,
        exclude using gist (),
    }
}

fn main() {}
