//! The widget bundle and the demo pages: cache headers, types, precompression, CORS, and the
//! security headers of served pages.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;

async fn static_app() -> TestApp {
    let t = app().await;
    let pkg = t.dir.path().join("pkg");
    let www = t.dir.path().join("www");
    std::fs::write(
        pkg.join("bangtin.js"),
        "import('./pkg/bangtin.0a1b2c3d4e5f.js');\n",
    )
    .unwrap();
    std::fs::write(pkg.join("bangtin.js.br"), b"BROTLI-LOADER").unwrap();
    std::fs::write(pkg.join("bangtin.0a1b2c3d4e5f.js"), "export default 1;\n").unwrap();
    std::fs::write(pkg.join("bangtin_bg.0a1b2c3d4e5f.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("bangtin_bg.0a1b2c3d4e5f.wasm.br"), b"BROTLI-WASM").unwrap();
    std::fs::write(pkg.join("bangtin_bg.0a1b2c3d4e5f.wasm.gz"), b"GZIP-WASM").unwrap();
    let page = format!(
        "<!doctype html><title>demo</title>{}",
        "<p>Tin tức</p>".repeat(200)
    );
    std::fs::write(www.join("index.html"), page).unwrap();
    std::fs::write(www.join("style.css"), "body{margin:0}".repeat(100)).unwrap();
    t
}

async fn get(t: &TestApp, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(&t.app, request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn hashed_bundle_files_are_immutable_and_typed() {
    let t = static_app().await;
    let wasm = get(&t, "/pkg/bangtin_bg.0a1b2c3d4e5f.wasm", &[]).await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(
        wasm.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(&wasm.body[..], b"\0asm\x01\0\0\0");
    let js = get(&t, "/pkg/bangtin.0a1b2c3d4e5f.js", &[]).await;
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    assert_eq!(
        js.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test]
async fn precompressed_siblings_are_served_when_accepted() {
    let t = static_app().await;
    let br = get(
        &t,
        "/pkg/bangtin_bg.0a1b2c3d4e5f.wasm",
        &[("accept-encoding", "gzip, br")],
    )
    .await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("content-type"), Some("application/wasm"));
    assert!(br
        .header("vary")
        .unwrap()
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    assert_eq!(&br.body[..], b"BROTLI-WASM");
    let gz = get(
        &t,
        "/pkg/bangtin_bg.0a1b2c3d4e5f.wasm",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(&gz.body[..], b"GZIP-WASM");
    let loader = get(&t, "/bangtin.js", &[("accept-encoding", "br")]).await;
    assert_eq!(loader.header("content-encoding"), Some("br"));
    assert_eq!(&loader.body[..], b"BROTLI-LOADER");
}

#[tokio::test]
async fn loader_is_cached_briefly_as_javascript() {
    let t = static_app().await;
    let loader = get(&t, "/bangtin.js", &[]).await;
    assert_eq!(loader.status, StatusCode::OK);
    assert_eq!(loader.header("cache-control"), Some("public, max-age=300"));
    assert_eq!(
        loader.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(loader.header("content-encoding"), None);
}

#[tokio::test]
async fn the_bundle_is_public_to_every_origin_so_shared_caches_cannot_mix_it_up() {
    let t = static_app().await;
    for origin in ["https://news.example", "https://evil.example"] {
        for path in [
            "/pkg/bangtin_bg.0a1b2c3d4e5f.wasm",
            "/pkg/bangtin.0a1b2c3d4e5f.js",
            "/bangtin.js",
        ] {
            let reply = get(&t, path, &[("origin", origin)]).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
            assert_eq!(
                reply.header("access-control-allow-origin"),
                Some("*"),
                "{path}"
            );
            assert_eq!(
                reply.header("cross-origin-resource-policy"),
                Some("cross-origin")
            );
            let vary = reply
                .header("vary")
                .unwrap_or_default()
                .to_ascii_lowercase();
            assert!(
                !vary.contains("origin"),
                "{path}: one answer for every origin ({vary})"
            );
        }
    }
}

#[tokio::test]
async fn pkg_serves_only_content_hashed_names() {
    let t = static_app().await;
    std::fs::write(t.dir.path().join("pkg/notes.txt"), "x").unwrap();
    for path in [
        "/pkg/bangtin.js",
        "/pkg/notes.txt",
        "/pkg/bangtin.0a1b2c3d4e5f.js.br",
    ] {
        let reply = get(&t, path, &[]).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.header("cache-control"), None, "{path}");
    }
}

#[tokio::test]
async fn missing_bundle_files_are_404_without_immutable_caching() {
    let t = static_app().await;
    let missing = get(&t, "/pkg/nope.wasm", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("cache-control"), None);
    let escape = get(&t, "/pkg/../www/index.html", &[]).await;
    assert_ne!(escape.status, StatusCode::OK);
}

#[tokio::test]
async fn demo_page_has_csp_no_cache_and_is_compressed() {
    let t = static_app().await;
    let page = get(&t, "/", &[("accept-encoding", "br")]).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.header("content-security-policy").unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(
        page.header("referrer-policy"),
        Some("strict-origin-when-cross-origin")
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert_eq!(page.header("content-encoding"), Some("br"));
    let css = get(&t, "/style.css", &[("accept-encoding", "gzip")]).await;
    assert_eq!(css.header("content-encoding"), Some("gzip"));
    assert_eq!(css.header("content-security-policy"), None);
    assert_eq!(css.header("cache-control"), Some("no-cache"));
    let plain = get(&t, "/index.html", &[]).await;
    assert!(String::from_utf8_lossy(&plain.body).contains("Tin tức"));
}

#[tokio::test]
async fn every_answer_forbids_content_sniffing() {
    let t = static_app().await;
    for path in [
        "/bangtin.js",
        "/pkg/bangtin.0a1b2c3d4e5f.js",
        "/style.css",
        "/api/v1/nothing",
        "/healthz",
    ] {
        let reply = get(&t, path, &[]).await;
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let t = static_app().await;
    let reply = get(&t, "/no-such-page.html", &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}
