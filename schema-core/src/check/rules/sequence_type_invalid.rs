//! Rule `sequence-type-invalid`: `CREATE SEQUENCE ... AS` takes only `smallint`, `integer` or
//! `bigint`.

use crate::check::context::Context;
use crate::check::{Diagnostic, Location, Rule, RuleCheck, SequencePart};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, seq) in cx.schema.sequences.iter().enumerate() {
        if let Some(ty) = &seq.data_type {
            if !ty.is_integer() {
                out.push(
                    Diagnostic::new(
                        Rule::SequenceTypeInvalid,
                        Location::Sequence {
                            sequence: i,
                            part: SequencePart::Type,
                        },
                        format!("a sequence cannot be of type `{ty}`"),
                    )
                    .help("use `smallint`, `integer` or `bigint`"),
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::SequenceTypeInvalid],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn only_integer_sequences() {
        let s = Schema::builder()
            .sequence(Sequence::new("a").data_type(ty("text")))
            .sequence(Sequence::new("b").data_type(ty("bigint")))
            .sequence(Sequence::new("c"))
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            ["a sequence cannot be of type `text`"]
        );
    }
}
