//! Two live databases (`pgdecl diff FROM TO`): only the fragments the two print differently
//! are followed along their print chains, through FROM's scratch schemas, so a pair in sync is
//! compared without writing anything, and the work grows with the differences, not the schema.

use std::collections::{BTreeMap, BTreeSet};

use postgres::GenericClient;
use schema_core::print_chain::{for_each_fragment_mut, fragments, holding, FragmentSlot};
use schema_core::Schema;

use super::canonicalize_printed;
use crate::error::Error;

/// Settles the SQL fragments `from` and `to` (both read from live databases) print
/// differently, and those only `to` has (a plan creates them), on FROM's server (`client`,
/// needs `CREATE` on its database; everything is rolled back):
///
/// - each of `to`'s takes text that rebuilds its expression on FROM (the printed text, or a
///   rewrite of it when the print reads back as another expression);
/// - one of `from`'s whose print chain meets that of `to`'s at the same place (one is a print
///   of the other, or both print alike once created again) takes the same text, so the diff
///   sees equality: the same expression, printed from different texts.
///
/// Returns how many fragments were followed; 0 when there were none, and then nothing was
/// sent to the server. On an error neither schema was changed.
pub fn settle_live_pair(
    client: &mut impl GenericClient,
    from: &mut Schema,
    to: &mut Schema,
) -> Result<usize, Error> {
    let from_texts = fragments(from);
    let to_texts = fragments(to);
    let differing: BTreeSet<FragmentSlot> = to_texts
        .iter()
        .filter(|(slot, text)| from_texts.get(*slot) != Some(*text))
        .map(|(slot, _)| slot.clone())
        .collect();
    if differing.is_empty() {
        return Ok(0);
    }
    let in_from: BTreeSet<FragmentSlot> = differing
        .iter()
        .filter(|slot| from_texts.contains_key(*slot))
        .cloned()
        .collect();
    let to_followed = canonicalize_printed(client, &holding(to, &differing, false))?;
    let from_followed = if in_from.is_empty() {
        None
    } else {
        Some(canonicalize_printed(
            client,
            &holding(from, &in_from, false),
        )?)
    };

    let to_canonical: BTreeMap<FragmentSlot, String> = fragments(&to_followed.schema)
        .into_iter()
        .filter(|(slot, _)| differing.contains(slot))
        .collect();
    for_each_fragment_mut(to, &mut |slot, text| {
        if let Some(canonical) = to_canonical.get(&slot) {
            text.clone_from(canonical);
        }
    });
    let Some(from_followed) = from_followed else {
        return Ok(differing.len());
    };
    let from_canonical = fragments(&from_followed.schema);
    for_each_fragment_mut(from, &mut |slot, text| {
        let (Some(target), Some(printed)) = (to_canonical.get(&slot), to_texts.get(&slot)) else {
            return;
        };
        if !in_from.contains(&slot) {
            return;
        }
        let to_chain: Vec<&str> = [target.as_str(), printed.as_str()]
            .into_iter()
            .chain(
                to_followed
                    .print_chains
                    .forms(&slot)
                    .iter()
                    .map(String::as_str),
            )
            .collect();
        let meets = std::iter::once(text.as_str())
            .chain(from_canonical.get(&slot).map(String::as_str))
            .chain(
                from_followed
                    .print_chains
                    .forms(&slot)
                    .iter()
                    .map(String::as_str),
            )
            .any(|form| to_chain.contains(&form));
        if meets {
            text.clone_from(target);
        }
    });
    Ok(differing.len())
}
