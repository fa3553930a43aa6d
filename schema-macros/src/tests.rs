//! Pipeline tests on token streams, outside a compiler.
