//! Money arithmetic of offers and invoices: pure functions over integer agorot.
//!
//! Every step rounds half-up (amounts are never negative, so this is also
//! "half away from zero"), in this order, so the printed lines always add up
//! to the printed totals:
//! `gross = qty_milli * unit / 1000`, `discount = gross * discount_bp / 10000`,
//! `line = gross - discount`, `subtotal = Σ line`, `vat = subtotal * vat_bp / 10000`.

use crate::TenantError;

/// Largest quantity: one million units, in thousandths.
pub const MAX_QUANTITY_MILLI: i64 = 1_000_000_000;
/// Largest unit price: 100 million shekels, in agorot.
pub const MAX_UNIT_PRICE_AGOROT: i64 = 10_000_000_000;
/// Most lines on one offer or invoice.
pub const MAX_LINES: usize = 200;

/// One validated line as the customer typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    /// What is sold.
    pub description: String,
    /// Quantity in thousandths (1.5 units = 1500).
    pub quantity_milli: i64,
    /// Price of one unit, before discount and VAT.
    pub unit_price_agorot: i64,
    /// Discount of this line in basis points (1000 = 10%).
    pub discount_bp: i32,
}

/// What one line comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    /// quantity × unit price.
    pub gross: i64,
    /// The line's discount.
    pub discount: i64,
    /// gross − discount (before VAT).
    pub total: i64,
}

/// What a whole document comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentAmounts {
    /// The VAT rate used, basis points.
    pub vat_rate_bp: i32,
    /// Σ gross.
    pub gross: i64,
    /// Σ discount.
    pub discount: i64,
    /// Σ line totals, before VAT.
    pub subtotal: i64,
    /// VAT on the subtotal.
    pub vat: i64,
    /// subtotal + VAT.
    pub total: i64,
}

/// `num / den` rounded half-up, for `num >= 0`, `den > 0`.
fn div_half_up(num: i128, den: i128) -> i128 {
    (num + den / 2) / den
}

fn too_large() -> TenantError {
    TenantError::invalid("amount_too_large", "the amounts are too large")
}

fn to_i64(v: i128) -> Result<i64, TenantError> {
    i64::try_from(v).map_err(|_| too_large())
}

/// Parses a quantity given as a decimal number with at most three decimals.
pub fn quantity_milli(quantity: f64) -> Result<i64, TenantError> {
    let bad = || {
        TenantError::invalid(
            "invalid_item",
            "quantity must be greater than 0, at most 1000000, with at most 3 decimals",
        )
    };
    if !quantity.is_finite() || quantity <= 0.0 || quantity > 1_000_000.0 {
        return Err(bad());
    }
    let scaled = quantity * 1000.0;
    let rounded = scaled.round();
    // 1.0005 and friends are not representable as thousandths: refuse, never guess
    if (scaled - rounded).abs() > 1e-6 || rounded < 1.0 {
        return Err(bad());
    }
    // finite, integral and within 1..=1e9 here, so the cast is exact
    Ok(rounded as i64)
}

/// The amounts of one line.
pub fn line_amounts(line: &LineInput) -> Result<LineAmounts, TenantError> {
    if !(1..=MAX_QUANTITY_MILLI).contains(&line.quantity_milli)
        || !(0..=MAX_UNIT_PRICE_AGOROT).contains(&line.unit_price_agorot)
        || !(0..=10_000).contains(&line.discount_bp)
    {
        return Err(TenantError::invalid(
            "invalid_item",
            "quantity, unit price or discount out of range",
        ));
    }
    let gross = div_half_up(
        i128::from(line.quantity_milli) * i128::from(line.unit_price_agorot),
        1000,
    );
    let discount = div_half_up(gross * i128::from(line.discount_bp), 10_000);
    Ok(LineAmounts {
        gross: to_i64(gross)?,
        discount: to_i64(discount)?,
        total: to_i64(gross - discount)?,
    })
}

/// The amounts of a document with these lines at this VAT rate.
pub fn document_amounts(
    lines: &[LineAmounts],
    vat_rate_bp: i32,
) -> Result<DocumentAmounts, TenantError> {
    if !(0..=10_000).contains(&vat_rate_bp) {
        return Err(TenantError::invalid(
            "invalid_vat_rate",
            "vat_rate_bp must be between 0 and 10000",
        ));
    }
    let gross: i128 = lines.iter().map(|l| i128::from(l.gross)).sum();
    let discount: i128 = lines.iter().map(|l| i128::from(l.discount)).sum();
    let subtotal: i128 = lines.iter().map(|l| i128::from(l.total)).sum();
    let vat = div_half_up(subtotal * i128::from(vat_rate_bp), 10_000);
    Ok(DocumentAmounts {
        vat_rate_bp,
        gross: to_i64(gross)?,
        discount: to_i64(discount)?,
        subtotal: to_i64(subtotal)?,
        vat: to_i64(vat)?,
        total: to_i64(subtotal + vat)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(q: i64, unit: i64, disc: i32) -> LineInput {
        LineInput {
            description: "x".into(),
            quantity_milli: q,
            unit_price_agorot: unit,
            discount_bp: disc,
        }
    }

    fn amounts(q: i64, unit: i64, disc: i32) -> LineAmounts {
        line_amounts(&line(q, unit, disc)).unwrap_or(LineAmounts {
            gross: -1,
            discount: -1,
            total: -1,
        })
    }

    #[test]
    fn whole_units_without_discount() {
        assert_eq!(
            amounts(3000, 1250, 0),
            LineAmounts {
                gross: 3750,
                discount: 0,
                total: 3750
            }
        );
    }

    #[test]
    fn fractional_quantity_rounds_half_up() {
        // 0.333 × 0.05 ₪ = 1.665 agorot -> 2
        assert_eq!(amounts(333, 5, 0).gross, 2);
        // 1.5 × 0.01 ₪ = 1.5 agorot -> 2 (half-up), 0.5 × 0.01 = 0.5 -> 1
        assert_eq!(amounts(1500, 1, 0).gross, 2);
        assert_eq!(amounts(500, 1, 0).gross, 1);
        // 0.499 × 0.01 ₪ = 0.499 agorot -> 0
        assert_eq!(amounts(499, 1, 0).gross, 0);
    }

    #[test]
    fn discount_rounds_half_up_and_line_adds_up() {
        // 10% of 15 agorot = 1.5 -> 2
        let a = amounts(1000, 15, 1000);
        assert_eq!((a.gross, a.discount, a.total), (15, 2, 13));
        // 100% discount leaves nothing
        assert_eq!(amounts(2000, 999, 10_000).total, 0);
    }

    #[test]
    fn vat_on_the_subtotal_rounds_half_up() {
        // 18% of 2.50 ₪ = 45 agorot exactly; of 0.25 ₪ = 4.5 -> 5
        let d = document_amounts(&[amounts(1000, 250, 0)], 1800);
        assert_eq!(d.map(|d| (d.vat, d.total)).ok(), Some((45, 295)));
        let d = document_amounts(&[amounts(1000, 25, 0)], 1800);
        assert_eq!(d.map(|d| (d.vat, d.total)).ok(), Some((5, 30)));
        // 17% of 0.03 ₪ = 0.51 -> 1; 18% of 0.02 ₪ = 0.36 -> 0
        assert_eq!(
            document_amounts(&[amounts(1000, 3, 0)], 1700)
                .ok()
                .map(|d| d.vat),
            Some(1)
        );
        assert_eq!(
            document_amounts(&[amounts(1000, 2, 0)], 1800)
                .ok()
                .map(|d| d.vat),
            Some(0)
        );
    }

    #[test]
    fn documents_sum_their_lines() {
        let lines = [amounts(1000, 150_000, 1000), amounts(2500, 4_990, 0)];
        let d = document_amounts(&lines, 1800).ok();
        // 1500.00 - 150.00 + 2.5 × 49.90 = 1350.00 + 124.75 = 1474.75; VAT 265.455 -> 265.46
        assert_eq!(
            d,
            Some(DocumentAmounts {
                vat_rate_bp: 1800,
                gross: 162_475,
                discount: 15_000,
                subtotal: 147_475,
                vat: 26_546,
                total: 174_021,
            })
        );
        let empty = document_amounts(&[], 1800).ok().map(|d| d.total);
        assert_eq!(empty, Some(0));
    }

    #[test]
    fn the_largest_document_does_not_overflow() {
        // the input bounds keep every sum inside i64: 200 × 1e16 × (1 + 100% VAT) = 4e18
        let big = amounts(MAX_QUANTITY_MILLI, MAX_UNIT_PRICE_AGOROT, 0);
        assert_eq!(big.gross, 10_000_000_000_000_000);
        let lines = vec![big; MAX_LINES];
        let d = document_amounts(&lines, 10_000).ok().map(|d| d.total);
        assert_eq!(d, Some(4_000_000_000_000_000_000));
    }

    #[test]
    fn out_of_range_inputs_are_refused() {
        for l in [
            line(0, 1, 0),
            line(MAX_QUANTITY_MILLI + 1, 1, 0),
            line(1000, -1, 0),
            line(1000, MAX_UNIT_PRICE_AGOROT + 1, 0),
            line(1000, 1, -1),
            line(1000, 1, 10_001),
        ] {
            assert!(line_amounts(&l).is_err(), "{l:?}");
        }
        assert!(document_amounts(&[], 10_001).is_err());
    }

    #[test]
    fn quantities_parse_to_thousandths() {
        assert_eq!(quantity_milli(1.0).ok(), Some(1000));
        assert_eq!(quantity_milli(1.5).ok(), Some(1500));
        assert_eq!(quantity_milli(0.001).ok(), Some(1));
        assert_eq!(quantity_milli(2.675).ok(), Some(2675));
        assert_eq!(quantity_milli(1_000_000.0).ok(), Some(1_000_000_000));
        for bad in [0.0, -1.0, 0.0004, 1.0005, f64::NAN, f64::INFINITY, 1e7] {
            assert!(quantity_milli(bad).is_err(), "{bad}");
        }
    }
}
