//! Command lines, on clap: the `pgdecl` tool ([`tool_main`]: `inspect`, `diff`,
//! `completions`) and [`app_main`], which gives an application's own binary `plan | apply |
//! validate | status` for its declared schema. Both print SQL or text for people, or with
//! `--json` one JSON object ([`json`]), and share the exit statuses below.

mod app;
pub mod json;
pub mod migrations;
pub mod ops;
mod tool;

use std::io::Write;

pub use app::{app_main, app_main_with};
#[doc(hidden)]
pub use tool::diff_databases_printing_all;
pub use tool::{diff_databases, diff_databases_reporting, tool_main};

use crate::error::Error;

/// Exit status: in sync / success (also `--help` and `--version`).
pub const EXIT_OK: i32 = 0;
/// Exit status: an error, including a bad command line (clap's own usage errors exit 1, not
/// clap's default 2, which here means "changes").
pub const EXIT_ERROR: i32 = 1;
/// Exit status: changes were printed (or the database differs).
pub const EXIT_CHANGES: i32 = 2;
/// Exit status: unsafe changes were withheld (pass `--allow-destructive`).
pub const EXIT_WITHHELD: i32 = 3;

/// The parsed command line, or the exit status after clap printed help, the version (on
/// `out`, exit 0) or a usage error (on `err`, exit 1).
fn parse_or_exit<T>(
    parsed: Result<T, clap::Error>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<T, i32> {
    use clap::error::ErrorKind;
    parsed.map_err(|e| {
        let text = e.render().to_string();
        match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                let _ = out.write_all(text.as_bytes());
                EXIT_OK
            }
            _ => {
                let _ = err.write_all(text.as_bytes());
                EXIT_ERROR
            }
        }
    })
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<(), Error> {
    out.write_all(text.as_bytes())
        .map_err(|e| Error::from_io("writing the output", e))
}

/// `value` as one line of JSON.
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), Error> {
    let mut text = serde_json::to_string(value).map_err(|e| {
        Error::new(
            crate::error::ErrorKind::Invalid,
            "serializing the JSON output",
            e.to_string(),
        )
    })?;
    text.push('\n');
    write_out(out, &text)
}
