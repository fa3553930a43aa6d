//! The async API (cargo feature `tokio`) converges the quickstart's schema from a tokio
//! runtime, through the same blocking implementation, on the blocking thread pool.

use pgdecl::runtime::asynchronous;
use pgdecl::runtime::testkit::TestServer;
use pgdecl::{Mode, Policy};

/// The quickstart's version 1 (examples/quickstart.rs).
mod v1 {
    pgdecl::schema! {
        extension pgcrypto;

        enum user_role { admin, member }

        /// People who can sign in.
        table users {
            id          uuid primary key default "gen_random_uuid()",
            email       varchar(100) not null unique,
            role        user_role not null default "'member'",
            full_name   text,
            created_at  timestamptz not null default "now()",

            check users_email_not_blank "email <> ''",
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_async_api_converges_the_quickstart_schema() {
    // The test harness is blocking too: set up (and drop, below) off the runtime's threads.
    let db = tokio::task::spawn_blocking(|| {
        TestServer::shared()
            .create_database("async_converge")
            .expect("test database")
    })
    .await
    .unwrap();
    let url = db.url().to_owned();

    let plan = asynchronous::plan(&url, &v1::SCHEMA, &[]).await.unwrap();
    assert!(!plan.changes.is_empty());
    let err = asynchronous::validate(&url, &v1::SCHEMA).await.unwrap_err();
    assert_eq!(err.code(), "drift", "{err}");

    let report = asynchronous::converge(&url, &v1::SCHEMA, &Policy::new(Mode::Apply))
        .await
        .unwrap();
    assert_eq!(report.applied.len(), plan.changes.len(), "{report:?}");

    // In sync now, seen from two concurrent calls: the runtime is not blocked by either.
    let (validated, replanned) = tokio::join!(
        asynchronous::validate(&url, &v1::SCHEMA),
        asynchronous::plan(&url, &v1::SCHEMA, &[])
    );
    validated.unwrap();
    assert!(replanned.unwrap().changes.is_empty());

    // Any other blocking pgdecl call, on its own connection.
    let tables: i64 = asynchronous::with_client(&url, |client| {
        let row = client
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                &[],
            )
            .map_err(|e| pgdecl::Error::from_postgres("counting tables", e))?;
        Ok(row.get(0))
    })
    .await
    .unwrap();
    assert_eq!(tables, 1);

    // A connection error comes back as the same error the blocking API gives.
    let err = asynchronous::validate(
        "postgresql://nobody@/nowhere?host=/nonexistent-dir",
        &v1::SCHEMA,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "unreachable", "{err}");

    tokio::task::spawn_blocking(move || drop(db)).await.unwrap();
}
