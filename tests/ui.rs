//! Compile-time behaviour of `schema!`: every error case in `tests/ui/<category>/` must fail
//! with exactly its `.stderr`, and every case in `tests/ui/pass/` must compile and run.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
    // Later globs win in trybuild, so the pass cases are not taken as compile-fail ones.
    t.pass("tests/ui/pass/*.rs");
}
