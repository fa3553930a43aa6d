//! Audit events go through `tracing`, target `pgdecl::audit`, one per run, the JSON as the
//! message. A test binary of its own: tracing caches each callsite's interest, and a run
//! on another thread without a subscriber could race the cache.

use schema_core::builder::*;
use schema_core::{DataType, Schema};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Mode, Policy};

fn version(note: bool) -> Schema {
    let mut items = TableDef::new("items")
        .column(ColumnDef::new("id", DataType::builtin("integer")).primary_key());
    if note {
        items = items.column(ColumnDef::new("note", DataType::builtin("text")));
    }
    Schema::builder().table(items).build()
}

fn apply() -> Policy {
    Policy::new(Mode::Apply)
}

/// Collects the messages of the events under target `pgdecl::audit`.
struct AuditSink(std::sync::Mutex<Vec<String>>);

struct MessageOf<'a>(&'a mut String);

impl tracing::field::Visit for MessageOf<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            *self.0 = format!("{value:?}");
        }
    }
}

impl tracing::Subscriber for &'static AuditSink {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if event.metadata().target() == schema_runtime::converge::AUDIT_TARGET {
            let mut message = String::new();
            event.record(&mut MessageOf(&mut message));
            self.0.lock().unwrap().push(message);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn audit_events_go_through_tracing_one_per_run() {
    let sink: &'static AuditSink = Box::leak(Box::new(AuditSink(Default::default())));
    let db = TestServer::shared()
        .create_database("ops_audit_tracing")
        .unwrap();
    let mut client = db.connect();
    tracing::subscriber::with_default(sink, || {
        converge(&mut client, &version(false), &apply()).unwrap();
        converge(
            &mut client,
            &version(false),
            &Policy::new(Mode::ValidateOnly),
        )
        .unwrap();
        converge(
            &mut client,
            &version(true),
            &Policy::new(Mode::ValidateOnly),
        )
        .unwrap_err();
    });
    let events = sink.0.lock().unwrap().clone();
    assert_eq!(events.len(), 3, "{events:#?}");
    let parsed: Vec<serde_json::Value> = events
        .iter()
        .map(|e| serde_json::from_str(e).expect("the message is the event's JSON"))
        .collect();
    let outcomes: Vec<&str> = parsed
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["applied", "in-sync", "drift"]);
    assert_eq!(parsed[2]["affected_tables"][0], "public.items");
}
