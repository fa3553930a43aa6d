pgdecl::schema! {
    sequence invoice_numbers as text;
}

fn main() {}
