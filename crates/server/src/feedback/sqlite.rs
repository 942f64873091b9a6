//! The feedback store on SQLite: every write through the one writer connection, `BEGIN
//! IMMEDIATE` (each write reads before it writes: the lock is taken up front), reads on the
//! reader pool. The SQL is the shared one of [`super::store::feedback_store!`].

use super::store::{feedback_store, Backend};
use crate::db::SqliteDb;

impl Backend for SqliteDb {
    type Database = sqlx::Sqlite;
}

feedback_store!(
    SqliteDb,
    write: |db| db.writer.begin_with("BEGIN IMMEDIATE"),
    read: |db| &db.readers
);
