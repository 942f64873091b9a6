//! Rebuilds the server when a migration changes: `sqlx::migrate!` embeds each widget's
//! `src/<widget>/migrations/` at compile time, and Cargo does not otherwise know to look there.

fn main() {
    println!("cargo:rerun-if-changed=src");
}
