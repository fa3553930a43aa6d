//! The `pgdecl` command: `pgdecl inspect URL`, `pgdecl diff FROM TO`, `pgdecl completions
//! SHELL`; `pgdecl --help` for the rest.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code =
        pgdecl::runtime::cli::tool_main(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
