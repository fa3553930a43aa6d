//! Rule `duplicate-function`: a function is identified by its name and input argument types; two
//! declarations with the same signature would replace one another.

use crate::check::context::Context;
use crate::check::message::{input_types, routine_kind, signature};
use crate::check::rules::report_duplicates;
use crate::check::{Diagnostic, FunctionPart, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let fs = &cx.schema.functions;
    report_duplicates(
        fs.iter()
            .enumerate()
            .map(|(i, f)| ((&f.name, input_types(f).collect::<Vec<_>>()), i)),
        |i, _| {
            out.push(
                Diagnostic::new(
                    Rule::DuplicateFunction,
                    Location::Function {
                        function: i,
                        part: FunctionPart::Name,
                    },
                    format!(
                        "{} `{}` is declared twice",
                        routine_kind(&fs[i]),
                        signature(&fs[i])
                    ),
                )
                .help("overloads must differ in the types of their input arguments; rename one or change its arguments"),
            );
        },
    );
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateFunction],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;
    use crate::check::*;
    use crate::model::*;

    #[test]
    fn the_signature_is_name_and_input_types() {
        let f = |arg: &str| {
            Function::new("f")
                .arg(FunctionArg::new("a", ty(arg)))
                .returns(ty("int"))
                .body("SELECT 1")
        };
        let s = Schema::builder()
            .function(f("varchar(10)"))
            .function(f("varchar(20)"))
            .function(f("int"))
            .function(f("int").arg(FunctionArg::new("b", ty("int")).mode(ArgMode::Out)))
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[1].location,
            Location::Function {
                function: 3,
                part: FunctionPart::Name
            }
        );
        assert_eq!(found[1].message, "function `f(integer)` is declared twice");
    }
}
