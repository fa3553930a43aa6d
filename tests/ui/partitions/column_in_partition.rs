pgdecl::schema! {
    table events partition by list (kind) { kind text }
    table events_a partition of events for values in ("a") {
        note text,
    }
}

fn main() {}
