//! Which feeds the ticker shows: configured by the site owner (`--feed name=URL`, repeatable,
//! or `BANGTIN_FEEDS="tin-moi=https://…,the-thao=https://…"`; the first is the main feed), or,
//! when none is, the demo feeds in `www/feeds/` read from disk (the same files the server serves
//! at `/feeds/…`), so that the demo works without a network.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bangtin_api::ticker::{valid_feed_name, FEED_NAME_MAX};
use url::Url;

/// Where a feed's items come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// An http(s) URL, fetched with conditional requests.
    Http(Url),
    /// A file (the demo feeds), read again when its size or modification time changes.
    File(PathBuf),
}

impl Source {
    /// The URL or path, for the database and messages.
    pub fn describe(&self) -> String {
        match self {
            Source::Http(url) => url.to_string(),
            Source::File(path) => format!("file:{}", path.display()),
        }
    }
}

/// One feed: its name (as `feed="…"` names it) and its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedSpec {
    pub name: String,
    pub source: Source,
}

impl FeedSpec {
    /// `name=https://…`, as `--feed` takes it.
    pub fn parse(spec: &str) -> Result<FeedSpec, String> {
        let (name, url) = spec
            .trim()
            .split_once('=')
            .ok_or_else(|| format!("--feed {spec:?} must be NAME=URL, e.g. tin-moi=https://…"))?;
        let name = name.trim();
        if !valid_feed_name(name) {
            return Err(format!(
                "--feed {spec:?}: the name must be 1 to {FEED_NAME_MAX} of a-z, 0-9 and -"
            ));
        }
        let url = Url::parse(url.trim())
            .map_err(|e| format!("--feed {spec:?}: the URL is not valid ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "--feed {spec:?}: the URL must be http:// or https://"
            ));
        }
        Ok(FeedSpec {
            name: name.to_owned(),
            source: Source::Http(url),
        })
    }
}

/// How the ticker ingests (flags of `bangtin-server`).
#[derive(Clone, Debug)]
pub struct Options {
    /// The feeds, the main one first. Empty: the demo feeds of `www/feeds/`, if any.
    pub feeds: Vec<FeedSpec>,
    /// Time between fetches of one feed (each wait jittered by ±10 %).
    pub interval: Duration,
    /// Items kept per feed (the newest).
    pub keep: u32,
    /// How long one fetch may take, redirects and body included.
    pub timeout: Duration,
    /// Largest feed body read; a larger one is refused while it streams in.
    pub max_bytes: u64,
    /// Start the fetching tasks (tests drive [`super::ingest::Ingester`] themselves).
    pub background: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            feeds: Vec::new(),
            interval: Duration::from_secs(5 * 60),
            keep: 100,
            timeout: Duration::from_secs(10),
            max_bytes: 2 * 1024 * 1024,
            background: true,
        }
    }
}

/// Demo feeds: every `NAME.xml`, `NAME.rss`, `NAME.atom` or `NAME.json` in `dir` whose `NAME`
/// is a valid feed name; `tin-moi` first (the main feed), then by name.
pub fn demo_feeds(dir: &Path) -> Vec<FeedSpec> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut feeds: Vec<FeedSpec> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .filter_map(|path| {
            let ext = path.extension()?.to_str()?;
            if !matches!(ext, "xml" | "rss" | "atom" | "json") {
                return None;
            }
            let name = path.file_stem()?.to_str()?.to_owned();
            valid_feed_name(&name).then(|| FeedSpec {
                name,
                source: Source::File(path.clone()),
            })
        })
        .collect();
    feeds.sort_by(|a, b| (a.name != "tin-moi", &a.name).cmp(&(b.name != "tin-moi", &b.name)));
    feeds.dedup_by(|a, b| a.name == b.name);
    feeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_flags_name_an_http_url() {
        let spec = FeedSpec::parse("tin-moi=https://bao.example/rss/tin-moi.rss").expect("ok");
        assert_eq!(spec.name, "tin-moi");
        assert_eq!(
            spec.source,
            Source::Http(Url::parse("https://bao.example/rss/tin-moi.rss").expect("url"))
        );
        for bad in [
            "tin-moi",
            "Tin=https://x.example/",
            "tin-moi=ftp://x.example/",
            "tin-moi=javascript:alert(1)",
            "tin-moi=not a url",
            "=https://x.example/",
        ] {
            assert!(FeedSpec::parse(bad).is_err(), "{bad}");
        }
    }
}
