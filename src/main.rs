//! The `nlbatch` command-line tool.

fn main() {
    println!("nlbatch {}", env!("CARGO_PKG_VERSION"));
}
