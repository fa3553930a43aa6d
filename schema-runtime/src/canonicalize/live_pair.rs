//! Two live databases (`pgdecl diff FROM TO`): only the fragments the two print differently
//! are followed along their print chains, through FROM's scratch schemas, so a pair in sync is
//! compared without writing anything, and the work grows with the differences, not the schema.

use std::collections::{BTreeMap, BTreeSet};

use crate::undo::Undoable;
use schema_core::print_chain::{
    for_each_fragment, for_each_fragment_mut, fragments, holding, FragmentSlot,
};
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
    client: &mut impl Undoable,
    from: &mut Schema,
    to: &mut Schema,
) -> Result<usize, Error> {
    // Two databases in sync (a no-op diff) hold the same model: nothing to follow, found
    // without naming a single fragment (issue 12). Otherwise they may still walk to the same
    // fragments in the same order: compared in one pass, without a map. Otherwise TO's
    // fragments are walked against FROM's map, and copied out only when some differ.
    if from == to {
        return Ok(0);
    }
    let mut from_list: Vec<(FragmentSlot, String)> = Vec::new();
    for_each_fragment(from, &mut |slot, text| {
        from_list.push((slot, text.to_string()));
    });
    let (mut walked, mut in_step) = (0, true);
    for_each_fragment(to, &mut |slot, text| {
        in_step = in_step
            && from_list
                .get(walked)
                .is_some_and(|(s, t)| *s == slot && t == text);
        walked += 1;
    });
    if in_step && walked == from_list.len() {
        return Ok(0);
    }
    let from_texts: BTreeMap<FragmentSlot, String> = from_list.into_iter().collect();
    let mut differing: BTreeSet<FragmentSlot> = BTreeSet::new();
    for_each_fragment(to, &mut |slot, text| {
        if from_texts.get(&slot).map(String::as_str) != Some(text) {
            differing.insert(slot);
        }
    });
    if differing.is_empty() {
        return Ok(0);
    }
    let to_texts = fragments(to);
    let to_followed = canonicalize_printed(client, &holding(to, &differing, false))?;
    let to_canonical: BTreeMap<FragmentSlot, String> = fragments(&to_followed.schema)
        .into_iter()
        .filter(|(slot, _)| differing.contains(slot))
        .collect();
    // Each TO fragment's chain: its canonical text, its printed text and their prints.
    let to_chain = |slot: &FragmentSlot| -> Vec<&str> {
        to_canonical
            .get(slot)
            .into_iter()
            .chain(to_texts.get(slot))
            .chain(to_followed.print_chains.forms(slot))
            .map(String::as_str)
            .collect()
    };
    // FROM's own chains are followed only where FROM's text is not on TO's chain already
    // (FROM holds an earlier print than TO, or both differ from each other's prints).
    let (on_chain, off_chain): (BTreeSet<FragmentSlot>, BTreeSet<FragmentSlot>) = differing
        .iter()
        .filter(|slot| from_texts.contains_key(*slot))
        .cloned()
        .partition(|slot| to_chain(slot).contains(&from_texts[slot].as_str()));
    let from_followed = if off_chain.is_empty() {
        None
    } else {
        Some(canonicalize_printed(
            client,
            &holding(from, &off_chain, false),
        )?)
    };
    let from_canonical = from_followed
        .as_ref()
        .map(|f| fragments(&f.schema))
        .unwrap_or_default();

    for_each_fragment_mut(from, &mut |slot, text| {
        let Some(target) = to_canonical.get(&slot) else {
            return;
        };
        let meets = on_chain.contains(&slot)
            || (off_chain.contains(&slot)
                && from_followed.as_ref().is_some_and(|followed| {
                    let chain = to_chain(&slot);
                    std::iter::once(text.as_str())
                        .chain(from_canonical.get(&slot).map(String::as_str))
                        .chain(
                            followed
                                .print_chains
                                .forms(&slot)
                                .iter()
                                .map(String::as_str),
                        )
                        .any(|form| chain.contains(&form))
                }));
        if meets {
            text.clone_from(target);
        }
    });
    for_each_fragment_mut(to, &mut |slot, text| {
        if let Some(canonical) = to_canonical.get(&slot) {
            text.clone_from(canonical);
        }
    });
    Ok(differing.len())
}
