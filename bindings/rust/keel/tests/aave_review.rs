//! Regression tests from an independent review of the Aave v3 layer (each failed before its fix).
use keel::U256;

/// A safe API must not panic on a caller's `decimals`: `format!("{frac:0<d$}")` with a
/// width above u16::MAX panics ("Formatting argument out of range") in parse_units and
/// format_units; an error (or no padding) is expected.
#[test]
fn review_parse_units_does_not_panic_on_large_decimals() {
    let r = std::panic::catch_unwind(|| U256::parse_units("1", 70_000));
    assert!(r.is_ok(), "parse_units panicked");
    let r = std::panic::catch_unwind(|| U256::from(1u64).format_units(70_000));
    assert!(r.is_ok(), "format_units panicked");
}
