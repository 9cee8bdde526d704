//! The printable Hebrew right-to-left page of an offer or an invoice.
//!
//! No PDF: the Rust PDF writers (printpdf, genpdf, lopdf) place glyphs but do
//! no bidi reordering or Hebrew shaping, so right-to-left text comes out reversed;
//! typst would do it but is a very heavy dependency. The page is built for the
//! browser's "print to PDF", which renders RTL correctly.

use std::fmt::Write as _;

use actix_web::HttpResponse;
use chrono::NaiveDate;
use prosaas_tenant::billing::{LineItem, Totals};

/// Escapes text for HTML element and attribute content.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `123456` agorot -> `1,234.56 ₪`.
pub(crate) fn shekels(agorot: i64) -> String {
    let sign = if agorot < 0 { "-" } else { "" };
    let abs = agorot.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02} ₪", abs % 100)
}

/// Basis points -> `18%`, `17.5%`.
pub(crate) fn percent(bp: i32) -> String {
    let s = format!("{}.{:02}", bp / 100, bp % 100);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// What a printed offer or invoice shows.
pub(crate) struct PrintedDocument<'a> {
    /// The big line under the business name ("חשבונית מס מספר 12").
    pub heading: String,
    /// The browser tab / PDF file title.
    pub title: String,
    pub business_name: &'a str,
    /// Labelled calendar days ("תאריך", "בתוקף עד").
    pub dates: Vec<(&'static str, NaiveDate)>,
    pub customer_name: &'a str,
    pub contacts: [Option<&'a str>; 2],
    pub items: &'a [LineItem],
    pub totals: &'a Totals,
    pub notes: &'a str,
    /// Already-escaped closing HTML (e.g. who signed).
    pub footer: Option<String>,
}

/// The document as an HTML response that loads nothing but its own style.
pub(crate) fn page(doc: &PrintedDocument<'_>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(render(doc))
}

/// The printable page. Every value from the database goes through [`escape`].
pub(crate) fn render(doc: &PrintedDocument<'_>) -> String {
    let t = doc.totals;
    let mut rows = String::new();
    for l in doc.items {
        let _ = write!(
            rows,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&l.description),
            l.quantity,
            shekels(l.unit_price_agorot),
            if l.discount_bp > 0 {
                percent(l.discount_bp)
            } else {
                String::new()
            },
            shekels(l.total_agorot),
        );
    }
    let contact: String = doc
        .contacts
        .into_iter()
        .flatten()
        .map(|c| format!("<div><bdi>{}</bdi></div>", escape(c)))
        .collect();
    let notes = if doc.notes.trim().is_empty() {
        String::new()
    } else {
        format!("<p class=\"notes\">{}</p>", escape(doc.notes))
    };
    let dates: String = doc
        .dates
        .iter()
        .map(|(label, day)| format!("<div>{label}: <bdi>{}</bdi></div>", day.format("%d/%m/%Y")))
        .collect();
    format!(
        r#"<!doctype html>
<html lang="he" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {business}</title>
<style>
body {{ font-family: "Noto Sans Hebrew", Arial, sans-serif; margin: 2rem; color: #111; }}
h1 {{ margin-block-end: 0.25rem; }}
table {{ width: 100%; border-collapse: collapse; margin-block: 1.5rem; }}
th, td {{ border-block-end: 1px solid #ccc; padding: 0.4rem; text-align: start; }}
.n {{ text-align: end; direction: ltr; unicode-bidi: isolate; white-space: nowrap; }}
.totals {{ width: auto; margin-inline-start: auto; }}
.grand td {{ font-weight: bold; border-block-start: 2px solid #111; }}
.notes {{ white-space: pre-wrap; }}
@media print {{ body {{ margin: 0; }} }}
</style>
</head>
<body>
<header>
<h1>{business}</h1>
<h2>{heading}</h2>
{dates}
</header>
<section>
<h3>לכבוד</h3>
<div>{customer}</div>
{contact}
</section>
<table>
<thead><tr><th>תיאור</th><th class="n">כמות</th><th class="n">מחיר ליחידה</th><th class="n">הנחה</th><th class="n">סה״כ</th></tr></thead>
<tbody>{rows}</tbody>
</table>
<table class="totals">
<tr><td>סה״כ לפני הנחה</td><td class="n">{gross}</td></tr>
<tr><td>הנחה</td><td class="n">{discount}</td></tr>
<tr><td>סה״כ לפני מע״מ</td><td class="n">{subtotal}</td></tr>
<tr><td>מע״מ {vat_rate}</td><td class="n">{vat}</td></tr>
<tr class="grand"><td>סה״כ לתשלום</td><td class="n">{total}</td></tr>
</table>
{notes}
{footer}
</body>
</html>
"#,
        title = escape(&doc.title),
        heading = escape(&doc.heading),
        business = escape(doc.business_name),
        customer = escape(doc.customer_name),
        footer = doc.footer.as_deref().unwrap_or(""),
        gross = shekels(t.gross_agorot),
        discount = shekels(t.discount_agorot),
        subtotal = shekels(t.subtotal_agorot),
        vat_rate = percent(t.vat_rate_bp),
        vat = shekels(t.vat_agorot),
        total = shekels(t.total_agorot),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_percent_format_for_print() {
        assert_eq!(shekels(0), "0.00 ₪");
        assert_eq!(shekels(5), "0.05 ₪");
        assert_eq!(shekels(123_456), "1,234.56 ₪");
        assert_eq!(shekels(10_000_000_000), "100,000,000.00 ₪");
        assert_eq!(shekels(-150), "-1.50 ₪");
        assert_eq!(percent(1800), "18%");
        assert_eq!(percent(1750), "17.5%");
        assert_eq!(percent(5), "0.05%");
        assert_eq!(percent(0), "0%");
    }

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'q'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"
        );
    }
}
