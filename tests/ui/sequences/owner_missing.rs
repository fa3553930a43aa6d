pgdecl::schema! {
    table orders { id bigint }
    sequence order_numbers owned by orders.number;
}

fn main() {}
