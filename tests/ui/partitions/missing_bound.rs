pgdecl::schema! {
    table events partition by list (kind) { kind text }
    table events_a partition of events;
}

fn main() {}
