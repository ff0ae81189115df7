//! `Display` for the public value types: the text a program prints for a
//! person (`{}`), beside the `Debug` form (`{:?}`) for a programmer.
//! `Metrics` and `SimSummary` are keel-sys's structs: their `Display` is there.
use std::fmt;

use crate::{Action, ActionKind, LiquidationPrice, LiquidationSide, MarginResult, OptionType};

impl fmt::Display for LiquidationSide {
    /// `never`, `below`, `above` or `always`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            LiquidationSide::Never => "never",
            LiquidationSide::Below => "below",
            LiquidationSide::Above => "above",
            LiquidationSide::Always => "always",
        })
    }
}

impl fmt::Display for LiquidationPrice {
    /// `liquidated below 1445.78` (the precision, if given, applies to the
    /// price); `never liquidated`; `liquidated at every price`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.side {
            LiquidationSide::Never => f.write_str("never liquidated"),
            LiquidationSide::Always => f.write_str("liquidated at every price"),
            side => {
                let p = f.precision().unwrap_or(2);
                write!(f, "liquidated {side} {:.*}", p, self.price)
            }
        }
    }
}

impl fmt::Display for OptionType {
    /// `call` or `put`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            OptionType::Call => "call",
            OptionType::Put => "put",
        })
    }
}

impl fmt::Display for ActionKind {
    /// The kind in words, e.g. `sell to repay`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionKind::RepayWithCollateral => f.pad("repay with collateral"),
            ActionKind::SellToRepay => f.pad("sell to repay"),
            ActionKind::Deposit => f.pad("deposit"),
            ActionKind::Withdraw => f.pad("withdraw"),
            ActionKind::BorrowToBuy => f.pad("borrow to buy"),
            ActionKind::Swap => f.pad("swap"),
            ActionKind::Hedge => f.pad("hedge"),
            ActionKind::RepayFromWallet => f.pad("repay from wallet"),
            ActionKind::Unknown(k) => write!(f, "action kind {k}"),
        }
    }
}

impl fmt::Display for Action {
    /// The kind and its quantities (assets by id: a market knows their symbols),
    /// e.g. `sell to repay: 2.7442 of asset 0, repay 5488.45 of asset 1, cost 0.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.kind)?;
        if let Some(a) = self.asset {
            write!(f, " {:.4} of asset {a}", self.quantity)?;
        }
        if let Some(d) = self.debt_asset {
            if self.repaid > 0.0 {
                write!(f, ", repay {:.2} of asset {d}", self.repaid)?;
            }
            if self.borrowed > 0.0 {
                write!(f, ", borrow {:.2} of asset {d}", self.borrowed)?;
            }
        }
        if let Some(t) = self.to_asset {
            write!(f, ", receive {:.4} of asset {t}", self.received)?;
        }
        write!(f, ", cost {:.2}", self.cost)
    }
}

impl fmt::Display for MarginResult {
    /// `margin 1219.57 (book value -447.91; worst: scenario 10 of asset 0, loss 1219.57)`;
    /// scenarios are numbered from 0.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "margin {:.2} (book value {:.2}", self.margin, self.value)?;
        if let Some(u) = self.worst_underlying {
            write!(f, "; worst: scenario {} of asset {u}, loss {:.2}", self.worst_scenario,
                   self.worst_loss)?;
        }
        f.write_str(")")
    }
}
