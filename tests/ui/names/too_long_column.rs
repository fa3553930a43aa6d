pgdecl::schema! {
    table users {
        this_column_name_is_much_longer_than_sixty_three_bytes_so_it_gets_cut bigint,
    }
}

fn main() {}
