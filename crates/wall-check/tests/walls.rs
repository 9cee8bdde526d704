//! Each file under compile_fail/ is service-style code that must be refused by
//! the compiler; ok/ holds the scoped way, which must compile.

#[test]
fn tenant_wall_holds_at_compile_time() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile_fail/*.rs");
    t.pass("tests/ok/*.rs");
}
