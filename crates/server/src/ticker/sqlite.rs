//! The ticker store on SQLite: writes through the one writer connection (`BEGIN IMMEDIATE`:
//! a fetch reads the feed's items before it writes them), reads on the reader pool.

use super::store::{ticker_store, Backend};
use crate::db::SqliteDb;

impl Backend for SqliteDb {
    type Database = sqlx::Sqlite;
}

ticker_store!(
    SqliteDb,
    write: |db| db.writer.begin_with("BEGIN IMMEDIATE"),
    read: |db| &db.readers
);
