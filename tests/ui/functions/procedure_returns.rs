pgdecl::schema! {
    procedure archive() returns void language sql as "SELECT 1";
}

fn main() {}
