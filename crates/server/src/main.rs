//! `bangtin-server`: parses flags, opens the database, binds, prints
//! `bangtin listening on http://IP:PORT/`, and serves until SIGINT or SIGTERM; then it finishes
//! the requests in flight (for at most the shutdown grace period) and exits.
//!
//! `bangtin-server moderator add|list|token|revoke|export` manages the moderation desk's accounts
//! and exports feedback, on the same database (`--database-url`), without starting the server.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bangtin_server::feedback::export::Format;
use bangtin_server::feedback::webhook::WebhookOptions;
use bangtin_server::feedback::{self, moderators};
use bangtin_server::reader::load_secret;
use bangtin_server::serve::raise_open_files_limit;
use bangtin_server::ticker;
use bangtin_server::{build_app, serve_with, Config, Timeouts};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// Serves the bangtin widgets' API, the widget bundle and the demo pages.
#[derive(Parser, Debug)]
#[command(name = "bangtin-server", version, about)]
struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "BANGTIN_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Database URL: sqlite://path/to/file.db (its directory is created if missing) or
    /// postgres://user:password@host:port/database (the database must exist).
    #[arg(
        long,
        global = true,
        env = "BANGTIN_DATABASE_URL",
        default_value = "sqlite://data/bangtin.db"
    )]
    database_url: String,
    /// Directory of the built widget bundle (bangtin.js and the hashed files served under /pkg).
    #[arg(long = "assets", env = "BANGTIN_ASSETS", default_value = "pkg")]
    assets: PathBuf,
    /// Directory of the demo pages served at the root.
    #[arg(long = "www", env = "BANGTIN_WWW", default_value = "www")]
    www: PathBuf,
    /// An origin (e.g. https://news.example) allowed to embed the widgets; repeatable.
    #[arg(
        long = "allowed-origin",
        env = "BANGTIN_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    allowed_origins: Vec<String>,
    /// Writes (votes, feedback, likes) per client per minute: an IPv4 address or an IPv6 /64;
    /// 0 disables the limit.
    #[arg(long, env = "BANGTIN_WRITE_RATE_LIMIT", default_value_t = 30)]
    write_rate_limit: u32,
    /// A reverse proxy (address or network, e.g. 10.0.0.0/8) whose X-Forwarded-For is believed;
    /// repeatable. The client is the rightmost address that is not a trusted proxy.
    #[arg(
        long = "trusted-proxy",
        env = "BANGTIN_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<String>,
    /// File holding the secret reader ids are hashed with (at least 32 bytes, e.g.
    /// `openssl rand -hex 32`). Without it the secret comes from BANGTIN_SECRET.
    #[arg(long, env = "BANGTIN_SECRET_FILE")]
    secret_file: Option<PathBuf>,
    /// Publish reader feedback at once instead of waiting for a moderator (spam still waits).
    #[arg(long, env = "BANGTIN_FEEDBACK_AUTO_PUBLISH", value_parser = clap::builder::BoolishValueParser::new(), num_args = 0..=1, default_value = "false", default_missing_value = "true")]
    feedback_auto_publish: bool,
    /// http:// or https:// URL that receives a POST (JSON) for each new pending feedback item.
    #[arg(long, env = "BANGTIN_FEEDBACK_WEBHOOK")]
    feedback_webhook: Option<String>,
    /// Feedback sends per reader per hour (a burst of as many); 0 disables the limit.
    #[arg(long, env = "BANGTIN_FEEDBACK_READER_LIMIT", default_value_t = 10)]
    feedback_reader_limit: u32,
    /// The server's public origin (e.g. https://bangtin.your-paper.vn): the only origin admin
    /// writes are taken from, `Secure` session cookies when https, and the webhook's admin link.
    #[arg(long, env = "BANGTIN_PUBLIC_URL")]
    public_url: Option<String>,
    /// A feed of the ticker, NAME=URL (http or https), e.g.
    /// tin-moi=https://your-paper.vn/rss/tin-moi.rss; repeatable, the first is the main feed.
    /// Without any, the demo feeds in WWW/feeds are shown.
    #[arg(long = "feed", env = "BANGTIN_FEEDS", value_delimiter = ',')]
    feeds: Vec<String>,
    /// Seconds between two fetches of one feed (each wait jittered by ±10 %).
    #[arg(long, env = "BANGTIN_FEED_INTERVAL", default_value_t = 300, value_parser = clap::value_parser!(u64).range(10..))]
    feed_interval: u64,
    /// Items kept per feed (the newest).
    #[arg(long, env = "BANGTIN_FEED_KEEP", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    feed_keep: u32,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Moderators of the feedback desk (/admin), and the feedback export.
    #[command(subcommand)]
    Moderator(ModeratorCommand),
}

#[derive(Subcommand, Debug)]
enum ModeratorCommand {
    /// Adds a moderator and prints their one-time login token.
    Add {
        /// The name shown in the audit log and under replies.
        name: String,
    },
    /// Lists moderators: id, name, created, last login, revoked.
    List,
    /// Prints a fresh one-time login token for moderator ID.
    Token { id: i64 },
    /// Revokes moderator ID and ends their sessions.
    Revoke { id: i64 },
    /// Exports all feedback (with email addresses, statuses and replies).
    Export {
        /// json or csv.
        #[arg(long, value_parser = ["json", "csv"], default_value = "json")]
        format: String,
        /// Write to FILE instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include deleted feedback.
        #[arg(long)]
        include_deleted: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let outcome = match args.command {
        Some(Command::Moderator(command)) => moderator(&args.database_url, command).await,
        None => run(args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    // The secret is never a flag: flags show in `ps`.
    let secret = load_secret(
        args.secret_file.as_deref(),
        std::env::var("BANGTIN_SECRET").ok(),
    )?;
    let config = Config {
        database_url: args.database_url,
        assets_dir: args.assets,
        www_dir: args.www,
        allowed_origins: args.allowed_origins,
        write_rate_limit: args.write_rate_limit,
        trusted_proxies: args.trusted_proxies,
        secret,
        timeouts: Timeouts::default(),
        feedback: feedback::Options {
            auto_publish: args.feedback_auto_publish,
            webhook: args
                .feedback_webhook
                .as_deref()
                .filter(|url| !url.is_empty())
                .map(WebhookOptions::new)
                .transpose()?,
            public_url: args.public_url.filter(|url| !url.is_empty()),
            reader_limit_per_hour: args.feedback_reader_limit,
        },
        ticker: ticker::Options {
            feeds: args
                .feeds
                .iter()
                .filter(|spec| !spec.trim().is_empty())
                .map(|spec| ticker::FeedSpec::parse(spec))
                .collect::<Result<_, _>>()?,
            interval: Duration::from_secs(args.feed_interval),
            keep: args.feed_keep,
            ..ticker::Options::default()
        },
    };
    // Every connection holds a descriptor: the common soft limit of 1,024 would let a few
    // hundred idle clients shut out everyone else.
    match raise_open_files_limit() {
        Ok(limit) => tracing::debug!(limit, "open files limit"),
        Err(err) => tracing::warn!(error = %err, "cannot raise the open files limit"),
    }
    let app = build_app(&config).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|err| {
            format!(
                "cannot listen on {}: {err} (another server there? pass --listen or BANGTIN_LISTEN)",
                args.listen
            )
        })?;
    let addr = listener.local_addr()?;
    // Tests and `cargo xtask serve` parse this exact line.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "bangtin listening on http://{addr}/")?;
    stdout.flush()?;
    drop(stdout);
    tracing::info!(%addr, database = %config.database_url, "serving");
    serve_with(listener, app, shutdown_signal(), config.timeouts).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Runs one `moderator` command on the database at `url` (migrating it first).
async fn moderator(url: &str, command: ModeratorCommand) -> Result<(), Box<dyn std::error::Error>> {
    let db = bangtin_server::db::Db::open(url).await?;
    feedback::migrate(&db).await?;
    let store = feedback::open_store(&db);
    let store = store.as_ref();
    let mut stdout = std::io::stdout().lock();
    match command {
        ModeratorCommand::Add { name } => {
            let (moderator, token) = moderators::add(store, &name).await?;
            writeln!(
                stdout,
                "moderator {} added: {}",
                moderator.id, moderator.name
            )?;
            writeln!(
                stdout,
                "login token (shown once, works for one login at /admin):"
            )?;
            writeln!(stdout, "{token}")?;
        }
        ModeratorCommand::Token { id } => {
            let (moderator, token) = moderators::new_token(store, id).await?;
            writeln!(
                stdout,
                "new login token for moderator {} ({}), shown once:",
                moderator.id, moderator.name
            )?;
            writeln!(stdout, "{token}")?;
        }
        ModeratorCommand::List => {
            let all = moderators::list(store).await?;
            write!(stdout, "{}", moderators::list_table(&all))?;
        }
        ModeratorCommand::Revoke { id } => {
            let moderator = moderators::revoke(store, id).await?;
            writeln!(
                stdout,
                "moderator {} ({}) revoked; their sessions are ended",
                moderator.id, moderator.name
            )?;
        }
        ModeratorCommand::Export {
            format,
            out,
            include_deleted,
        } => {
            let format = Format::parse(&format).ok_or("--format must be json or csv")?;
            let bytes = moderators::export_all(store, format, include_deleted).await?;
            match out {
                Some(path) => std::fs::write(&path, &bytes)
                    .map_err(|err| format!("cannot write {}: {err}", path.display()))?,
                None => stdout.write_all(&bytes)?,
            }
        }
    }
    stdout.flush()?;
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {err}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!("cannot listen for SIGTERM: {err}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
