//! The benchmark's ceiling: a minimal axum "hello world" on the same runtime and profile as the
//! server. `cargo xtask bench` starts it next to the real server and loads both the same way.

use axum::{routing::get, Router};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("bangtin listening on http://{}/", listener.local_addr()?);
    let app = Router::new().route("/", get(|| async { "Hello, World!" }));
    axum::serve(listener, app).await
}
