//! Helpers shared by the tests that need roles of their own.

use schema_runtime::testkit::TestDatabase;

/// A role of a name no other test (or test run) uses, dropped again at the end of the test
/// with everything that refers to it in `db`.
pub struct TestRole<'a> {
    pub name: String,
    db: &'a TestDatabase,
}

impl<'a> TestRole<'a> {
    pub fn new(db: &'a TestDatabase, tag: &str) -> Self {
        let name = format!("pgdecl_{tag}_{}", std::process::id());
        let mut c = db.connect();
        c.batch_execute(&format!("DROP ROLE IF EXISTS {name}; CREATE ROLE {name}"))
            .unwrap();
        TestRole { name, db }
    }
}

impl Drop for TestRole<'_> {
    fn drop(&mut self) {
        let mut c = self.db.connect();
        let _ = c.batch_execute(&format!(
            "DROP OWNED BY {0}; DROP ROLE IF EXISTS {0}",
            self.name
        ));
    }
}
