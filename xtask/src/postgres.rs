//! A throwaway PostgreSQL server for the server's tests: [`TempPostgres::start`] runs Debian's
//! `initdb` and `pg_ctl` on a fresh data directory in the temp dir, on a free port of 127.0.0.1;
//! dropping it stops the server and deletes the directory.
//!
//! It never touches a system cluster (Debian's package may create and start one on port 5432).
//! `initdb` refuses to run as root, so as root every PostgreSQL command runs as the `postgres`
//! system user, who owns the temporary directory.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::{step, Result};

/// A running PostgreSQL server that lives as long as this value.
#[derive(Debug)]
pub struct TempPostgres {
    /// `postgres://postgres@127.0.0.1:PORT/postgres`: superuser, no password (trust auth).
    pub url: String,
    /// The temporary directory: `data/` (the cluster, with its socket in `data/socket/`) and
    /// `postgres.log`.
    dir: PathBuf,
    pg_ctl: PathBuf,
    /// Run PostgreSQL's commands as the `postgres` system user (we are root).
    as_postgres: bool,
    running: bool,
}

impl TempPostgres {
    /// Finds (or, as root, installs) PostgreSQL, creates a cluster in a new temp directory and
    /// starts it on a free port; returns once it accepts connections.
    pub fn start() -> Result<TempPostgres> {
        step("PostgreSQL for the tests (temporary cluster)");
        let started = Instant::now();
        let bin = find_or_install()?;
        let as_postgres = is_root();
        if as_postgres && quiet(Command::new("id").args(["-u", "postgres"])).is_none() {
            return Err(
                "running as root, but there is no `postgres` system user to run \
                        PostgreSQL as (initdb refuses root); install Debian's `postgresql` package"
                    .into(),
            );
        }
        let dir =
            std::env::temp_dir().join(format!("bangtin-pg-{}-{}", std::process::id(), nanos()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        // From here on, dropping `pg` removes the directory (and stops the server once running).
        let mut pg = TempPostgres {
            url: String::new(),
            dir,
            pg_ctl: bin.join("pg_ctl"),
            as_postgres,
            running: false,
        };
        if as_postgres {
            capture(Command::new("chown").args(["postgres:", path_str(&pg.dir)?]))?;
        }
        let data = pg.data_dir();
        capture(pg.command(&bin.join("initdb")).args([
            "-D",
            path_str(&data)?,
            "--auth=trust",
            "-U",
            "postgres",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ]))?;
        let socket = data.join("socket");
        capture(pg.command(Path::new("mkdir")).arg(path_str(&socket)?))?;
        let log = pg.dir.join("postgres.log");
        // Another process may take the free port between our check and the server's bind.
        let mut last_error = String::new();
        for _ in 0..3 {
            let port = free_port()?;
            let options = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200 \
                 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                path_str(&socket)?
            );
            let result = capture(pg.command(&pg.pg_ctl).args([
                "-D",
                path_str(&data)?,
                "-l",
                path_str(&log)?,
                "-o",
                &options,
                "-w",
                "start",
            ]));
            match result {
                Ok(_) => {
                    pg.running = true;
                    pg.url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
                    println!(
                        "    PostgreSQL ready at {} in {:.1} s (data in {})",
                        pg.url,
                        started.elapsed().as_secs_f64(),
                        data.display()
                    );
                    return Ok(pg);
                }
                Err(err) => {
                    let tail = std::fs::read_to_string(&log).unwrap_or_default();
                    let tail: Vec<&str> = tail.lines().rev().take(15).collect();
                    let tail: Vec<&str> = tail.into_iter().rev().collect();
                    last_error = format!("{err}\n--- {} ---\n{}", log.display(), tail.join("\n"));
                }
            }
        }
        Err(format!("PostgreSQL did not start:\n{last_error}"))
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// `program`, run as the `postgres` user when we are root, from a directory it can enter.
    fn command(&self, program: &Path) -> Command {
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        cmd.current_dir(&self.dir);
        cmd
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        if self.running {
            let data = self.data_dir();
            let mut stop = self.command(&self.pg_ctl);
            stop.arg("-D").arg(&data).args(["-m", "fast", "-w", "stop"]);
            println!("$ {}", shown(&stop));
            match stop.output() {
                Ok(out) if out.status.success() => {}
                Ok(out) => eprintln!(
                    "xtask: stopping PostgreSQL failed ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
                Err(e) => eprintln!("xtask: cannot run pg_ctl stop: {e}"),
            }
        }
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("xtask: cannot remove {}: {e}", self.dir.display());
        }
    }
}

/// The directory holding `initdb` and `pg_ctl`: the newest `/usr/lib/postgresql/<version>/bin`
/// (Debian, Ubuntu), else wherever `PATH` finds them. Installs Debian's package as root.
fn find_or_install() -> Result<PathBuf> {
    if let Some(bin) = find_binaries() {
        println!("    PostgreSQL binaries: {}", bin.display());
        return Ok(bin);
    }
    if !is_root() {
        return Err("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); \
                    install it with:\n    sudo apt-get update && sudo apt-get install -y postgresql"
            .into());
    }
    println!("    PostgreSQL is missing: installing Debian's `postgresql` package");
    crate::run(Command::new("apt-get").args(["update", "-qq"]))?;
    crate::run(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "postgresql"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    find_binaries().ok_or_else(|| {
        "installed `postgresql`, but found no /usr/lib/postgresql/*/bin/initdb".to_owned()
    })
}

fn find_binaries() -> Option<PathBuf> {
    let has_both = |bin: &Path| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file();
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = version_key(entry.file_name().to_str()?)?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| has_both(bin))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, bin)| bin);
    debian.or_else(|| std::env::split_paths(&std::env::var_os("PATH")?).find(|dir| has_both(dir)))
}

/// `"16"` → `[16]`, `"9.6"` → `[9, 6]`: compares versions numerically.
fn version_key(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

fn is_root() -> bool {
    quiet(Command::new("id").arg("-u")).is_some_and(|id| id.trim() == "0")
}

/// A port nobody listens on right now.
fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))
}

fn nanos() -> u32 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| format!("path is not UTF-8: {}", path.display()))
}

fn shown(cmd: &Command) -> String {
    format!("{cmd:?}").replace('"', "")
}

/// Runs `cmd`, echoing it; its output is shown only if it fails.
fn capture(cmd: &mut Command) -> Result<Output> {
    let shown = shown(cmd);
    println!("$ {shown}");
    let output = cmd
        .output()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "`{shown}` failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The trimmed stdout of `cmd` if it succeeds, without echoing it.
fn quiet(cmd: &mut Command) -> Option<String> {
    let output = cmd.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert!(version_key("10") > version_key("9.6"));
        assert_eq!(version_key("main"), None);
    }

    #[test]
    fn a_temporary_server_accepts_connections_and_is_removed_on_drop() {
        let pg = TempPostgres::start().expect("PostgreSQL starts");
        let port: u16 = pg
            .url
            .rsplit(':')
            .next()
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .expect("a port in the url");
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("it listens");
        let dir = pg.dir.clone();
        drop(pg);
        assert!(!dir.exists(), "{} removed", dir.display());
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
    }
}
