//! The README's grammar examples are compiled by the `readme_grammar` ui pass case; this keeps
//! that copy from drifting when the README changes.

#[test]
fn readme_grammar_examples_are_compiled() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let case = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/ui/pass/readme_grammar.rs"
    ))
    .unwrap();
    let start = readme
        .find("## The `schema!` grammar")
        .expect("grammar section");
    let section = &readme[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    let mut missing = Vec::new();
    for block in section[..end].split("```rust\n").skip(1) {
        let block = block.split("```").next().unwrap_or("");
        // The generated-code block describes the expansion; it is not schema! input.
        if block.contains("pub static SCHEMA") {
            continue;
        }
        for line in block
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
        {
            if !case.contains(line) {
                missing.push(line.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "README grammar lines not in tests/ui/pass/readme_grammar.rs (copy them there):\n{}",
        missing.join("\n")
    );
}
