//! Static files: the widget bundle (`/bangtin.js`, `/pkg/*`, public to every origin and
//! precompressed) and the demo pages from the www directory (everything else), with security
//! headers.
//!
//! The bundle is public code and the hashed files are cached forever, so they answer
//! `Access-Control-Allow-Origin: *`: a CDN that caches one answer for every origin stays correct.
//! Who may *use* the API is decided by the API's own CORS and write checks.

use std::path::Path;

use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// The loader's URL never changes, so caches may keep it only briefly.
const LOADER_CACHE: &str = "public, max-age=300";
/// `/pkg` names are content-hashed by the build: a name's content never changes.
const HASHED_CACHE: &str = "public, max-age=31536000, immutable";
/// The demo pages prove the widgets work under a strict policy: no inline scripts or styles, no
/// `eval`, nothing from elsewhere, and no framing.
pub const HTML_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// The moderation desk (`/admin`): the pages' policy without WebAssembly, and no framing.
pub const ADMIN_CSP: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// Full URLs stay on the server's own pages; other sites see only the origin.
const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";

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
        .layer(map_response(hashed_headers))
        .layer(axum::middleware::from_fn(only_hashed_names));
    loader.merge(hashed)
}

/// `/pkg` serves only content-hashed names (`bangtin.0123456789ab.js`): anything else there (the
/// loader's build copy, say) would otherwise be cached as immutable under a name that changes
/// content with every release.
async fn only_hashed_names(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let name = request.uri().path().rsplit('/').next().unwrap_or_default();
    if is_hashed_name(name) {
        next.run(request).await
    } else {
        axum::http::StatusCode::NOT_FOUND.into_response()
    }
}

/// `stem.<12 hex digits>.js` or `.wasm`.
fn is_hashed_name(name: &str) -> bool {
    let Some((rest, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let Some((stem, hash)) = rest.rsplit_once('.') else {
        return false;
    };
    matches!(ext, "js" | "wasm")
        && !stem.is_empty()
        && hash.len() == 12
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The moderation desk's page: `/admin` and `/admin/` serve `{www_dir}/admin/index.html`, and
/// `/admin/{file}` the desk's scripts and styles from `{www_dir}/admin/`, all under
/// [`ADMIN_CSP`] and never cached (`no-store`: a moderator's queue is not for shared caches or
/// the back button).
pub fn admin_router(www_dir: &Path) -> Router {
    let page = ServeFile::new(www_dir.join("admin").join("index.html"));
    // The request path is `/admin/…`: served from the www root, it is `{www_dir}/admin/…`.
    let files = ServeDir::new(www_dir).append_index_html_on_directories(false);
    Router::new()
        .route_service("/admin", page.clone())
        .route_service("/admin/", page)
        .route_service("/admin/{*file}", files)
        .layer(map_response(admin_headers))
}

async fn admin_headers(mut response: Response) -> Response {
    set_static(&mut response, header::CACHE_CONTROL, "no-store");
    set_static(&mut response, header::CONTENT_SECURITY_POLICY, ADMIN_CSP);
    set_static(&mut response, header::X_FRAME_OPTIONS, "DENY");
    set_static(&mut response, header::REFERRER_POLICY, "same-origin");
    response
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

/// Anyone may load the bundle (`*`, never a reflected origin a shared cache could mix up), and
/// pages that isolate themselves (COEP) may embed it.
fn public_bundle(response: &mut Response) {
    set_static(response, header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    set_static(
        response,
        HeaderName::from_static("cross-origin-resource-policy"),
        "cross-origin",
    );
}

async fn loader_headers(mut response: Response) -> Response {
    public_bundle(&mut response);
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
    public_bundle(&mut response);
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
        set_static(&mut response, header::REFERRER_POLICY, REFERRER_POLICY);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_hashed_name;

    #[test]
    fn only_content_hashed_names_are_served_from_pkg() {
        assert!(is_hashed_name("bangtin.0123456789ab.js"));
        assert!(is_hashed_name("bangtin_bg.0123456789ab.wasm"));
        assert!(!is_hashed_name("bangtin.js"));
        assert!(!is_hashed_name("bangtin.0123456789ab.js.br"));
        assert!(!is_hashed_name("bangtin.0123456789AB.js"));
        assert!(!is_hashed_name(".0123456789ab.js"));
        assert!(!is_hashed_name("x.0123456789ab.html"));
    }
}
