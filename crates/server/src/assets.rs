//! Static files: the widget bundle (`/bangtin.js`, `/pkg/*`, served with CORS and precompressed
//! siblings) and the demo pages from the www directory (everything else).

use std::path::Path;

use axum::http::{header, HeaderValue};
use axum::middleware::map_response;
use axum::response::Response;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// The loader's URL never changes, so caches may keep it only briefly.
const LOADER_CACHE: &str = "public, max-age=300";
/// `/pkg` names are content-hashed by the build: a name's content never changes.
const HASHED_CACHE: &str = "public, max-age=31536000, immutable";
/// The demo pages prove the widgets work without inline scripts or `eval`.
const HTML_CSP: &str = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";

/// `/bangtin.js` → `{assets_dir}/bangtin.js` and `/pkg/{file}` → `{assets_dir}/{file}`,
/// preferring the build's `.br`/`.gz` siblings when the client accepts them.
pub fn bundle_router(assets_dir: &Path) -> Router {
    let loader = ServeFile::new(assets_dir.join("bangtin.js"))
        .precompressed_br()
        .precompressed_gzip();
    let hashed = ServeDir::new(assets_dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let loader = Router::new()
        .route_service("/bangtin.js", loader)
        .layer(map_response(loader_headers));
    let hashed = Router::new()
        .nest_service("/pkg", hashed)
        .layer(map_response(hashed_headers));
    loader.merge(hashed)
}

/// Serves the www directory (`/` → `index.html`) for every path `router` does not route,
/// compressed on the fly and revalidated on every use.
pub fn with_www_fallback(router: Router, www_dir: &Path) -> Router {
    let files = ServiceBuilder::new()
        .layer(CompressionLayer::new())
        .service(ServeDir::new(www_dir));
    let www = Router::new()
        .fallback_service(files)
        .layer(map_response(www_headers));
    router.fallback_service(www)
}

fn served(response: &Response) -> bool {
    response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED
}

fn set_static(response: &mut Response, name: header::HeaderName, value: &'static str) {
    response
        .headers_mut()
        .insert(name, HeaderValue::from_static(value));
}

fn add_vary_accept_encoding(response: &mut Response) {
    let already = response.headers().get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !already {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

async fn loader_headers(mut response: Response) -> Response {
    if served(&response) {
        set_static(&mut response, header::CACHE_CONTROL, LOADER_CACHE);
        set_static(
            &mut response,
            header::CONTENT_TYPE,
            "text/javascript; charset=utf-8",
        );
        add_vary_accept_encoding(&mut response);
    }
    response
}

async fn hashed_headers(uri: axum::http::Uri, mut response: Response) -> Response {
    if served(&response) {
        set_static(&mut response, header::CACHE_CONTROL, HASHED_CACHE);
        let path = uri.path();
        if path.ends_with(".wasm") {
            set_static(&mut response, header::CONTENT_TYPE, "application/wasm");
        } else if path.ends_with(".js") || path.ends_with(".mjs") {
            set_static(
                &mut response,
                header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            );
        }
        add_vary_accept_encoding(&mut response);
    }
    response
}

async fn www_headers(mut response: Response) -> Response {
    set_static(&mut response, header::CACHE_CONTROL, "no-cache");
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        set_static(&mut response, header::CONTENT_SECURITY_POLICY, HTML_CSP);
    }
    response
}
