//! The feedback store on PostgreSQL (`READ COMMITTED`). What must happen once happens in one
//! statement: a send is inserted with `ON CONFLICT (id) DO NOTHING` (a concurrent send of the
//! same id waits for the first and then finds it), a like with `ON CONFLICT DO NOTHING` before
//! the count moves, a login token is used up by the `UPDATE … RETURNING` that finds it. The SQL
//! is the shared one of [`super::store::feedback_store!`].

use super::store::{feedback_store, Backend};
use crate::db::PgDb;

impl Backend for PgDb {
    type Database = sqlx::Postgres;
}

feedback_store!(
    PgDb,
    write: |db| db.pool.begin(),
    read: |db| &db.pool
);
