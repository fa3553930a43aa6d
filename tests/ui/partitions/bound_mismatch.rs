pgdecl::schema! {
    table events partition by range (at) { at date not null }
    table events_2025 partition of events for values in ("2025-01-01");
}

fn main() {}
