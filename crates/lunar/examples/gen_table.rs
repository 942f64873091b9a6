//! Prints `src/table/data.rs`: the table entries of lunar years 1900..=2199, computed by the
//! astronomical algorithm at UTC+7.
//!
//! `cargo run --example gen_table > src/table/data.rs`

fn main() {
    print!("{}", bangtin_lunar::astro::table_source());
}
