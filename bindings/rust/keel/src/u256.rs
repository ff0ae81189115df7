//! `U256`: the EVM's unsigned 256-bit integer (`include/keel/u256.h`), and
//! the fixed-point functions Aave computes with it, each with its Solidity
//! rounding and overflow check.

use std::cmp::Ordering;
use std::ffi::CStr;
use std::fmt;
use std::str::FromStr;

use keel_sys as sys;

use crate::{check, Error, ErrorKind, Result};

/// An unsigned 256-bit integer, as Solidity's `uint256`: amounts in wei,
/// prices in oracle base units, wads (10^18 = 1.0), rays (10^27 = 1.0).
///
/// Arithmetic is checked and goes through the C library: where Solidity 0.8
/// would revert, the result is `Err` with [`ErrorKind::Overflow`] (a result
/// of 2^256 or more, or below 0) or [`ErrorKind::OutOfRange`] (a zero
/// divisor), never a wrapped value.
///
/// ```
/// use keel::U256;
/// let max: U256 = "115792089237316195423570985008687907853269984665640564039457584007913129639935".parse()?;
/// assert_eq!(max, U256::MAX);
/// assert_eq!(max.checked_add(U256::ONE).unwrap_err().kind, keel::ErrorKind::Overflow);
/// assert_eq!(U256::from(1_500_000u64).format_units(6), "1.5");
/// # Ok::<(), keel::Error>(())
/// ```
#[repr(transparent)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct U256(sys::keel_u256);

impl U256 {
    /// 0.
    pub const ZERO: U256 = U256::from_limbs([0; 4]);
    /// 1.
    pub const ONE: U256 = U256::from_limbs([1, 0, 0, 0]);
    /// 2^256 − 1, Solidity's `type(uint256).max`: Aave's health factor of an
    /// account without debt.
    pub const MAX: U256 = U256::from_limbs([u64::MAX; 4]);
    /// 10^18: one wad (a health factor of 1.0).
    pub const WAD: U256 = U256::from_u128(1_000_000_000_000_000_000);
    /// 10^27: one ray (an index of 1.0).
    pub const RAY: U256 = U256::from_u128(1_000_000_000_000_000_000_000_000_000);

    /// The value `limbs[0] + limbs[1]·2^64 + limbs[2]·2^128 + limbs[3]·2^192`
    /// (least significant limb first, as `keel_u256`).
    pub const fn from_limbs(limbs: [u64; 4]) -> U256 {
        U256(sys::keel_u256 { w: limbs })
    }

    /// The four 64-bit limbs, least significant first.
    pub const fn limbs(self) -> [u64; 4] {
        self.0.w
    }

    /// `v` as a U256 (usable in constants; `From<u128>` is the same).
    pub const fn from_u128(v: u128) -> U256 {
        U256::from_limbs([v as u64, (v >> 64) as u64, 0, 0])
    }

    /// The raw `keel_u256`, for calls into keel-sys.
    pub const fn raw(self) -> sys::keel_u256 {
        self.0
    }

    /// From a raw `keel_u256`.
    pub const fn from_raw(raw: sys::keel_u256) -> U256 {
        U256(raw)
    }

    /// True for 0.
    pub const fn is_zero(self) -> bool {
        let w = self.0.w;
        w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0
    }

    /// The nearest `f64` (round to nearest, ties to even): for display and
    /// estimates only, as it keeps 53 bits.
    pub fn to_f64(self) -> f64 {
        // SAFETY: pure function of its argument.
        unsafe { sys::keel_u256_to_double(self.0) }
    }

    /// `self + rhs`; [`ErrorKind::Overflow`] when the sum reaches 2^256.
    pub fn checked_add(self, rhs: U256) -> Result<U256> {
        let mut out = self.0;
        // SAFETY: out is a valid out-pointer.
        check(unsafe { sys::keel_u256_add(self.0, rhs.0, &mut out) })?;
        Ok(U256(out))
    }

    /// `self − rhs`; [`ErrorKind::Overflow`] when `rhs > self`.
    pub fn checked_sub(self, rhs: U256) -> Result<U256> {
        let mut out = self.0;
        // SAFETY: as above.
        check(unsafe { sys::keel_u256_sub(self.0, rhs.0, &mut out) })?;
        Ok(U256(out))
    }

    /// `self · rhs`; [`ErrorKind::Overflow`] when the product reaches 2^256.
    pub fn checked_mul(self, rhs: U256) -> Result<U256> {
        let mut out = self.0;
        // SAFETY: as above.
        check(unsafe { sys::keel_u256_mul(self.0, rhs.0, &mut out) })?;
        Ok(U256(out))
    }

    /// Floor division and remainder; [`ErrorKind::OutOfRange`] when `rhs` is 0.
    pub fn checked_div_rem(self, rhs: U256) -> Result<(U256, U256)> {
        let (mut q, mut r) = (self.0, self.0);
        // SAFETY: both out-pointers are valid.
        check(unsafe { sys::keel_u256_divmod(self.0, rhs.0, &mut q, &mut r) })?;
        Ok((U256(q), U256(r)))
    }

    /// Floor division; [`ErrorKind::OutOfRange`] when `rhs` is 0.
    pub fn checked_div(self, rhs: U256) -> Result<U256> {
        Ok(self.checked_div_rem(rhs)?.0)
    }

    /// The value as a decimal with `decimals` digits after the point, exact,
    /// without trailing zeros: `format_units(6)` of 1_500_000 is `"1.5"`,
    /// `format_units(18)` of a wad health factor reads as the factor itself.
    pub fn format_units(self, decimals: u32) -> String {
        let digits = self.to_string();
        let d = decimals as usize;
        let (int, frac) = if digits.len() > d {
            let (i, f) = digits.split_at(digits.len() - d);
            (i.to_string(), f.to_string())
        } else {
            // padded by hand: a `{:0>d$}` width above u16::MAX panics
            ("0".to_string(), "0".repeat(d - digits.len()) + &digits)
        };
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() { int } else { format!("{int}.{frac}") }
    }

    /// The inverse of [`format_units`](U256::format_units): `"1.5"` with 18
    /// decimals is 1.5 · 10^18. [`ErrorKind::OutOfRange`] for anything but
    /// digits with at most one point, or more fractional digits than
    /// `decimals`; [`ErrorKind::Overflow`] for 2^256 or more.
    ///
    /// ```
    /// use keel::U256;
    /// assert_eq!(U256::parse_units("1.05", 18)?, U256::from(1_050_000_000_000_000_000u64));
    /// assert_eq!(U256::parse_units("0.0000001", 6).unwrap_err().kind, keel::ErrorKind::OutOfRange);
    /// # Ok::<(), keel::Error>(())
    /// ```
    pub fn parse_units(text: &str, decimals: u32) -> Result<U256> {
        let d = decimals as usize;
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let bad = |why: &str| Error::binding(ErrorKind::OutOfRange, format!("parse_units: {text:?} {why}"));
        if int.is_empty() && frac.is_empty() {
            return Err(bad("has no digits"));
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad("holds a character that is not a digit or one point"));
        }
        if frac.len() > d {
            return Err(bad(&format!("has more than {decimals} decimals")));
        }
        // padded by hand (a `{:0<d$}` width above u16::MAX panics); beyond 78
        // digits a non-zero value overflows in the parse below
        let digits = format!("{int}{frac}{}", "0".repeat(d - frac.len()));
        let trimmed = digits.trim_start_matches('0');
        if trimmed.is_empty() { Ok(U256::ZERO) } else { trimmed.parse() }
    }
}

impl From<u64> for U256 {
    fn from(v: u64) -> U256 {
        U256::from_limbs([v, 0, 0, 0])
    }
}

impl From<u32> for U256 {
    fn from(v: u32) -> U256 {
        U256::from(u64::from(v))
    }
}

impl From<u128> for U256 {
    fn from(v: u128) -> U256 {
        U256::from_u128(v)
    }
}

impl TryFrom<U256> for u128 {
    type Error = Error;
    /// The value when below 2^128; [`ErrorKind::Overflow`] otherwise.
    fn try_from(v: U256) -> Result<u128> {
        let w = v.0.w;
        if w[2] != 0 || w[3] != 0 {
            return Err(Error::binding(ErrorKind::Overflow, format!("{v} does not fit in a u128")));
        }
        Ok(u128::from(w[1]) << 64 | u128::from(w[0]))
    }
}

impl TryFrom<U256> for u64 {
    type Error = Error;
    /// The value when below 2^64; [`ErrorKind::Overflow`] otherwise.
    fn try_from(v: U256) -> Result<u64> {
        let w = v.0.w;
        if w[1] != 0 || w[2] != 0 || w[3] != 0 {
            return Err(Error::binding(ErrorKind::Overflow, format!("{v} does not fit in a u64")));
        }
        Ok(w[0])
    }
}

impl Ord for U256 {
    fn cmp(&self, other: &U256) -> Ordering {
        // SAFETY: pure function of its arguments.
        unsafe { sys::keel_u256_cmp(self.0, other.0) }.cmp(&0)
    }
}

impl PartialOrd for U256 {
    fn partial_cmp(&self, other: &U256) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for U256 {
    type Err = Error;
    /// Decimal digits, or hexadecimal after `0x`, with no sign, space or
    /// separator (`keel_u256_from_string`): [`ErrorKind::OutOfRange`] for an
    /// empty string or a stray character, [`ErrorKind::Overflow`] for 2^256
    /// or more.
    fn from_str(s: &str) -> Result<U256> {
        let text = std::ffi::CString::new(s).map_err(|_| {
            Error::binding(ErrorKind::OutOfRange, format!("{s:?} contains a NUL byte"))
        })?;
        let mut out = sys::keel_u256::default();
        // SAFETY: NUL-terminated text, valid out-pointer.
        check(unsafe { sys::keel_u256_from_string(text.as_ptr(), &mut out) })?;
        Ok(U256(out))
    }
}

impl fmt::Display for U256 {
    /// Decimal, without leading zeros (`keel_u256_to_string`); the
    /// formatter's width, fill and alignment apply.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0 as std::os::raw::c_char; sys::KEEL_U256_DECIMAL_MAX];
        // SAFETY: buf holds KEEL_U256_DECIMAL_MAX bytes, which always suffice.
        let status = unsafe { sys::keel_u256_to_string(self.0, buf.as_mut_ptr(), buf.len()) };
        if status != sys::KEEL_OK {
            return Err(fmt::Error);
        }
        // SAFETY: the library wrote NUL-terminated ASCII digits.
        let s = unsafe { CStr::from_ptr(buf.as_ptr()) };
        f.pad(s.to_str().map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for U256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "U256({self})")
    }
}

/// One WadRayMath / PercentageMath function of Aave (`keel_wadray_op`);
/// `a` and `b` are its two arguments in the Solidity order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WadRayOp {
    /// wadMul: (a·b + WAD/2) / WAD, half up.
    WadMul,
    /// wadDiv: (a·WAD + b/2) / b, half up.
    WadDiv,
    /// rayMul: (a·b + RAY/2) / RAY, half up.
    RayMul,
    /// rayMulFloor: a·b / RAY, down.
    RayMulFloor,
    /// rayMulCeil: a·b / RAY, up.
    RayMulCeil,
    /// rayDiv: (a·RAY + b/2) / b, half up.
    RayDiv,
    /// rayDivFloor: a·RAY / b, down.
    RayDivFloor,
    /// rayDivCeil: a·RAY / b, up.
    RayDivCeil,
    /// percentMul: (a·b + 5000) / 10^4, half up (b in basis points).
    PercentMul,
    /// percentMulFloor: a·b / 10^4, down.
    PercentMulFloor,
    /// percentMulCeil: a·b / 10^4, up.
    PercentMulCeil,
    /// percentDiv: (a·10^4 + b/2) / b, half up.
    PercentDiv,
    /// percentDivCeil: a·10^4 / b, up.
    PercentDivCeil,
}

impl WadRayOp {
    /// The C value, `KEEL_WAD_MUL` ...
    pub fn raw(self) -> sys::keel_wadray_op {
        match self {
            WadRayOp::WadMul => sys::KEEL_WAD_MUL,
            WadRayOp::WadDiv => sys::KEEL_WAD_DIV,
            WadRayOp::RayMul => sys::KEEL_RAY_MUL,
            WadRayOp::RayMulFloor => sys::KEEL_RAY_MUL_FLOOR,
            WadRayOp::RayMulCeil => sys::KEEL_RAY_MUL_CEIL,
            WadRayOp::RayDiv => sys::KEEL_RAY_DIV,
            WadRayOp::RayDivFloor => sys::KEEL_RAY_DIV_FLOOR,
            WadRayOp::RayDivCeil => sys::KEEL_RAY_DIV_CEIL,
            WadRayOp::PercentMul => sys::KEEL_PERCENT_MUL,
            WadRayOp::PercentMulFloor => sys::KEEL_PERCENT_MUL_FLOOR,
            WadRayOp::PercentMulCeil => sys::KEEL_PERCENT_MUL_CEIL,
            WadRayOp::PercentDiv => sys::KEEL_PERCENT_DIV,
            WadRayOp::PercentDivCeil => sys::KEEL_PERCENT_DIV_CEIL,
        }
    }
}

/// Applies one WadRayMath / PercentageMath function (`keel_wadray`), with
/// its Solidity rounding and overflow check: [`ErrorKind::Overflow`] where
/// the Solidity reverts (even where the exact result would fit: wadMul
/// reverts when a·b + WAD/2 overflows), [`ErrorKind::OutOfRange`] for a zero
/// divisor.
///
/// ```
/// use keel::{wadray, U256, WadRayOp};
/// // 1.5 · 2.0 = 3.0 in wads
/// let x = wadray(WadRayOp::WadMul, U256::from(1_500_000_000_000_000_000u64), U256::from(2_000_000_000_000_000_000u64))?;
/// assert_eq!(x, U256::from(3_000_000_000_000_000_000u64));
/// assert_eq!(wadray(WadRayOp::RayDiv, U256::ONE, U256::ZERO).unwrap_err().kind, keel::ErrorKind::OutOfRange);
/// # Ok::<(), keel::Error>(())
/// ```
pub fn wadray(op: WadRayOp, a: U256, b: U256) -> Result<U256> {
    let mut out = sys::keel_u256::default();
    // SAFETY: valid out-pointer.
    check(unsafe { sys::keel_wadray(op.raw(), a.0, b.0, &mut out) })?;
    Ok(U256(out))
}

/// MathUtils.mulDivCeil: ⌈a·b / c⌉; [`ErrorKind::Overflow`] when a·b reaches
/// 2^256 (the Solidity reverts), [`ErrorKind::OutOfRange`] when `c` is 0.
pub fn mul_div_ceil(a: U256, b: U256, c: U256) -> Result<U256> {
    let mut out = sys::keel_u256::default();
    // SAFETY: valid out-pointer.
    check(unsafe { sys::keel_mul_div_ceil(a.0, b.0, c.0, &mut out) })?;
    Ok(U256(out))
}
