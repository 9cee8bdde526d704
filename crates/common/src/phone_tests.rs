//! Test vectors of E.164 normalisation (fictional numbers).
use super::*;

#[test]
fn normalises_the_shapes_israelis_type() {
    let cases = [
        ("050-1234567", "+972501234567"),
        ("0501234567", "+972501234567"),
        ("050 123 4567", "+972501234567"),
        ("03-1234567", "+97231234567"),
        ("02-6543210", "+97226543210"),
        ("077-1234567", "+972771234567"),
        ("972501234567", "+972501234567"),
        ("+972501234567", "+972501234567"),
        ("+972-50-123-4567", "+972501234567"),
        ("+972 (0)50 123 4567", "+972501234567"),
        ("00972501234567", "+972501234567"),
        ("whatsapp:+972501234567", "+972501234567"),
        ("+1 (415) 555-0100", "+14155550100"),
        ("+15005550006", "+15005550006"),
    ];
    for (input, want) in cases {
        assert_eq!(
            E164Phone::parse(input).map(String::from),
            Ok(want.to_string()),
            "{input}"
        );
    }
}

#[test]
fn refuses_what_is_not_a_phone_number() {
    assert_eq!(E164Phone::parse(""), Err(PhoneError::Empty));
    assert_eq!(E164Phone::parse(" - "), Err(PhoneError::Empty));
    assert_eq!(E164Phone::parse("abc"), Err(PhoneError::InvalidCharacters));
    assert_eq!(
        E164Phone::parse("050-12a4567"),
        Err(PhoneError::InvalidCharacters)
    );
    assert_eq!(E164Phone::parse("12345"), Err(PhoneError::WrongLength));
    assert_eq!(E164Phone::parse("050-123"), Err(PhoneError::WrongLength));
    assert_eq!(
        E164Phone::parse("+9725012345678901"),
        Err(PhoneError::WrongLength)
    );
    assert_eq!(E164Phone::parse("+97250"), Err(PhoneError::WrongLength));
    assert_eq!(
        E164Phone::parse("+0501234567"),
        Err(PhoneError::WrongLength)
    );
}

#[test]
fn masks_for_logs() {
    let p = E164Phone::parse("050-1234567").ok();
    assert_eq!(p.map(|p| p.masked()), Some("+***4567".to_string()));
}
