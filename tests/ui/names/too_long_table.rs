pgdecl::schema! {
    table this_table_name_is_much_longer_than_sixty_three_bytes_which_postgres_truncates { id bigint }
}

fn main() {}
